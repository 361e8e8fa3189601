package org.dunwatch.streams.lender;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.CollectorRegs;
import org.dunwatch.streams.state.LoanState;
import org.dunwatch.streams.state.NumberFact;
import org.dunwatch.streams.state.NumberLoans;
import org.dunwatch.streams.state.PolicyContact;

/**
 * The lender reference data, built once per topology from {@code lender.events.v1} and shared by
 * every detector that needs to know who owes whom. See {@code package-info.java} for the API.
 *
 * <pre>
 * lender (keyed lender/loan) ─► lender-loans (per loan) ─► lender-facts-by-number (repartition)
 *                                                            ─► lender-number-facts ─► lender-by-number
 *                                                                                    ─► lender-collectors
 *                                                                                    ─► attempts()
 * </pre>
 *
 * <p><b>Why collector numbers are not a global store.</b> They are few and are looked up by caller,
 * while calls are keyed by callee, so every partition needs all of them: the textbook case for a
 * GlobalKTable. But a global store needs a topic of its own (the lender topic is already a stream
 * source, and Kafka Streams lets a topic feed only one source), which every deployment would have
 * to create, and a global store is updated outside stream time, so whether a call is judged before
 * or after a registration would depend on thread timing. Instead, registrations go through the same
 * repartition topic as every other lender fact, multicast to every partition (KIP-837), and each
 * task keeps the whole registry in {@link #COLLECTOR_STORE}: a full copy per partition, as a global
 * store would be, but in event-time order with the calls, and with no topic to provision.
 *
 * <p><b>Co-partitioning.</b> {@link #NUMBER_STORE} is keyed by number and read by processors on
 * calls keyed by callee, so the repartition topic must have as many partitions as the calls topic
 * and use the producer's default partitioner (it does: string keys, murmur2). Kafka Streams sizes
 * an unsized repartition topic at the largest partition count among the source topics of the
 * sub-topology that writes it (here the lender topic's), not at its readers'; {@code dunwatch}
 * refuses to start on input topics with different counts ({@code Cluster.checkPartitions}), so the
 * repartition topic, the calls and the messages always have one count. A topology built for inputs
 * of other counts must pass the calls topic's count to {@link #addTo(StreamsBuilder, KStream,
 * LenderReferenceRule, Integer)}.
 */
public final class LenderReference {

  /** Per loan ({@code lender_id/loan_id}): {@link LoanState}. */
  public static final String LOAN_STORE = "lender-loans";

  /** Per number: {@link NumberLoans}, every loan the number is involved in. */
  public static final String NUMBER_STORE = "lender-by-number";

  /** Per collector number: {@link CollectorRegs}, a full copy on every partition. */
  public static final String COLLECTOR_STORE = "lender-collectors";

  /** The internal topic carrying lender facts keyed by number. */
  public static final String REPARTITION = "lender-facts-by-number";

  public static final String LOAN_PROCESSOR = "lender-loans-fold";
  public static final String NUMBER_PROCESSOR = "lender-number-facts";

  public static final String SOURCE_TELECOM = "TELECOM";
  public static final String SOURCE_LENDER = "LENDER";

  private final KStream<String, PolicyContact> attempts;
  private final LenderReferenceRule rule;

  private LenderReference(KStream<String, PolicyContact> attempts, LenderReferenceRule rule) {
    this.attempts = attempts;
    this.rule = rule;
  }

  /** As {@link #addTo(StreamsBuilder, KStream, LenderReferenceRule, Integer)}, sized by Streams. */
  public static LenderReference addTo(
      StreamsBuilder builder, KStream<String, LenderEvent> lender, LenderReferenceRule rule) {
    return addTo(builder, lender, rule, null);
  }

  /**
   * Adds the loan fold, the repartition by number and the number-side stores to {@code builder}.
   * Call it once per topology and hand the result to every detector that needs it.
   *
   * @param lender decoded lender events keyed {@code lender_id/loan_id} (or {@code
   *     lender_id/number})
   * @param partitions the calls topic's partition count, or null to let Streams size the
   *     repartition topic like the lender topic
   */
  public static LenderReference addTo(
      StreamsBuilder builder,
      KStream<String, LenderEvent> lender,
      LenderReferenceRule rule,
      Integer partitions) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LOAN_STORE),
                Serdes.String(),
                AvroStateSerde.of(LoanState.class))
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(NUMBER_STORE),
            Serdes.String(),
            AvroStateSerde.of(NumberLoans.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(COLLECTOR_STORE),
            Serdes.String(),
            AvroStateSerde.of(CollectorRegs.class)));
    Repartitioned<String, NumberFact> repartitioned =
        Repartitioned.<String, NumberFact>as(REPARTITION)
            .withKeySerde(Serdes.String())
            .withValueSerde(AvroStateSerde.of(NumberFact.class))
            .withStreamPartitioner(new CollectorsEverywhere());
    if (partitions != null) {
      repartitioned = repartitioned.withNumberOfPartitions(partitions);
    }
    KStream<String, PolicyContact> attempts =
        lender
            .process(() -> new LoanProcessor(rule), Named.as(LOAN_PROCESSOR), LOAN_STORE)
            .repartition(repartitioned)
            .process(
                () -> new NumberFactProcessor(rule),
                Named.as(NUMBER_PROCESSOR),
                NUMBER_STORE,
                COLLECTOR_STORE);
    return new LenderReference(attempts, rule);
  }

  /**
   * A call as a contact from its caller to its callee, in the shape of {@link #attempts()}, for the
   * detectors that judge telecom contacts and lender reports alike; {@code null} for a call with no
   * caller or callee.
   */
  public static PolicyContact contactOf(CallRecord call) {
    if (call == null || call.getCaller() == null || call.getCallee() == null) {
      return null;
    }
    boolean answered = call.getOutcome() == CallOutcome.ANSWERED;
    return PolicyContact.newBuilder()
        .setId(call.getCallId())
        .setTime(call.getStartTime().toEpochMilli())
        .setChannel("CALL")
        .setSource(SOURCE_TELECOM)
        .setFrom(call.getCaller().getId())
        .setTo(call.getCallee().getId())
        .setToRegion(call.getCallee().getRegion())
        .setToTimeZone(call.getCallee().getTimeZone())
        .setConnected(answered)
        .setConversation(answered && call.getTalkSeconds() > 0)
        .build();
  }

  /** A message as a contact from its sender to its recipient, as {@link #contactOf(CallRecord)}. */
  public static PolicyContact contactOf(SmsRecord sms) {
    if (sms == null || sms.getSender() == null || sms.getRecipient() == null) {
      return null;
    }
    return PolicyContact.newBuilder()
        .setId(sms.getMessageId())
        .setTime(sms.getSentTime().toEpochMilli())
        .setChannel("SMS")
        .setSource(SOURCE_TELECOM)
        .setFrom(sms.getSender().getId())
        .setTo(sms.getRecipient().getId())
        .setToRegion(sms.getRecipient().getRegion())
        .setToTimeZone(sms.getRecipient().getTimeZone())
        .setConnected(true)
        .setConversation(false)
        .build();
  }

  /**
   * Lender-reported collection attempts, keyed by their target number (co-partitioned with calls),
   * timestamped with their {@code at}; the loan as the lender then had it rides along in {@link
   * PolicyContact#getLoan()}.
   */
  public KStream<String, PolicyContact> attempts() {
    return attempts;
  }

  public LenderReferenceRule rule() {
    return rule;
  }

  /**
   * The stores a detector connects to ({@code process(supplier, named, stores())}) to read a {@link
   * LenderView}.
   */
  public static String[] stores() {
    return new String[] {NUMBER_STORE, COLLECTOR_STORE};
  }

  /** Collector registrations to every partition; everything else by its key, as calls are. */
  private static final class CollectorsEverywhere implements StreamPartitioner<String, NumberFact> {
    @Override
    public Optional<Set<Integer>> partitions(
        String topic, String key, NumberFact fact, int numPartitions) {
      if (fact != null && fact.getCollector() != null) {
        return Optional.of(
            IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
      }
      return Optional.empty();
    }
  }
}
