package org.dunwatch.streams.behaviour;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.CircleCall;
import org.dunwatch.streams.state.FanOutReaches;
import org.dunwatch.streams.state.FanOutState;
import org.dunwatch.streams.state.LoanContact;
import org.dunwatch.streams.state.PolicyContact;

/**
 * CONTACT_FAN_OUT: one collection source reaching, within {@code window}, at least {@code reached}
 * distinct people of one borrower's circle who are not that borrower's declared contacts. Victim:
 * the borrower; re-issued under the same id as the spread grows (5, 10, 20 with the defaults).
 *
 * <pre>
 * calls (by callee) ─► circle-callee-reach ─┬─ registered caller ──────────────────────────────────┐  (circle-state, lender-by-number, lender-collectors)
 *                                           └─ unregistered caller ─► fan-out-calls-by-source ─► fan-out-source-share (circle-state) ─┤
 *   └─► circle-caller-key ─► calls-by-caller ─► circle-caller (circle-state)                                                    │
 * lender attempts (by target) ─► fan-out-attempt-reach ─────────────────────────────────────────────────────────────────────────┴─► fan-out-reaches-by-borrower ─► fan-out (fan-out-state, lender-by-number)
 * </pre>
 *
 * <p>An unregistered number is a collection source in one circle only when the people it reached
 * there are at least {@code source_share} of everyone it is in touch with: its own ties live on its
 * own partition, hence the hop by source. A registration that arrives after some of a number's
 * calls moves what the number reached to its lender ({@code FanOutProcessor}).
 *
 * <p>Every internal topic is partitioned like the calls topic (Streams sizes an unsized repartition
 * topic like its upstream source), so {@code circle-state}, the lender stores and {@code
 * fan-out-state}, all keyed by number, are co-partitioned.
 */
public final class FanOutDetector {

  /** Per borrower: {@link FanOutState}. */
  public static final String STORE = "fan-out-state";

  /**
   * Internal topic: reaches, each sent to the partitions of the borrowers whose circle was reached
   * ({@link Reaches}). It replaced {@code fan-out-reach-by-borrower} (one record per borrower):
   * reaches in flight on the old topic when an application is upgraded are not read again.
   */
  public static final String BY_BORROWER = "fan-out-reaches-by-borrower";

  public static final String REACH_PROCESSOR = "circle-callee-reach";
  public static final String ATTEMPT_REACH = "fan-out-attempt-reach";
  public static final String PROCESSOR = "fan-out";

  /** Internal topic: calls from unregistered numbers into a circle, keyed by the caller. */
  public static final String BY_SOURCE = "fan-out-calls-by-source";

  public static final String SOURCE_SHARE_PROCESSOR = "fan-out-source-share";

  private FanOutDetector() {}

  public static KStream<String, Alert> addTo(
      StreamsBuilder builder,
      KStream<String, CallRecord> calls,
      LenderReference lender,
      FanOutRule rule) {
    Objects.requireNonNull(rule, "rule");
    builder.addStateStore(Circles.storeBuilder());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE),
                Serdes.String(),
                AvroStateSerde.of(FanOutState.class))
            .withCachingEnabled());
    String[] reachStores =
        Stream.concat(Stream.of(Circles.STORE), Stream.of(LenderReference.stores()))
            .toArray(String[]::new);
    KStream<String, SpecificRecord> fromCallees =
        calls.process(() -> new FanOutReachProcessor(rule), Named.as(REACH_PROCESSOR), reachStores);
    KStream<String, FanOutReaches> fromRegistered =
        fromCallees
            .filter((k, v) -> v instanceof FanOutReaches, Named.as(REACH_PROCESSOR + "-registered"))
            .mapValues(v -> (FanOutReaches) v, Named.as(REACH_PROCESSOR + "-registered-reaches"));
    KStream<String, FanOutReaches> fromUnregistered =
        fromCallees
            .filter((k, v) -> v instanceof CircleCall, Named.as(REACH_PROCESSOR + "-unregistered"))
            .mapValues(v -> (CircleCall) v, Named.as(REACH_PROCESSOR + "-circle-calls"))
            .repartition(
                Repartitioned.<String, CircleCall>as(BY_SOURCE)
                    .withKeySerde(Serdes.String())
                    .withValueSerde(AvroStateSerde.of(CircleCall.class)))
            .process(
                () -> new SourceShareProcessor(rule),
                Named.as(SOURCE_SHARE_PROCESSOR),
                Circles.STORE);
    KStream<String, FanOutReaches> fromCalls =
        fromRegistered.merge(fromUnregistered, Named.as("fan-out-call-reaches"));
    calls
        .selectKey((k, c) -> c.getCaller().getId(), Named.as(Circles.CALLER_KEY))
        .repartition(
            Repartitioned.<String, CallRecord>as(Circles.BY_CALLER)
                .withKeySerde(Serdes.String())
                .withValueSerde(AvroStateSerde.of(CallRecord.class)))
        .process(
            () -> new Circles.CallerSide(rule), Named.as(Circles.CALLER_PROCESSOR), Circles.STORE);
    KStream<String, FanOutReaches> fromAttempts =
        lender.attempts().flatMap((k, c) -> attemptReach(c), Named.as(ATTEMPT_REACH));
    String[] fanOutStores =
        Stream.concat(Stream.of(STORE), Stream.of(LenderReference.stores())).toArray(String[]::new);
    return fromCalls
        .merge(fromAttempts, Named.as("fan-out-reaches"))
        .repartition(
            Repartitioned.<String, FanOutReaches>as(BY_BORROWER)
                .withKeySerde(Serdes.String())
                .withValueSerde(AvroStateSerde.of(FanOutReaches.class))
                .withStreamPartitioner(new Reaches.ToEachBorrower()))
        .process(() -> new FanOutProcessor(rule), Named.as(PROCESSOR), fanOutStores);
  }

  /**
   * A lender-reported attempt to someone other than the loan's borrower reaches the borrower's
   * people: it counts whether or not telecom data shows the tie, since the lender itself says whose
   * debt it was about. Attempts to the borrower reach nobody else.
   */
  static List<KeyValue<String, FanOutReaches>> attemptReach(PolicyContact c) {
    if (c == null
        || c.getLoan() == null
        || c.getLoan().getBorrower() == null
        || c.getLenderId() == null
        || c.getTo().equals(c.getLoan().getBorrower())) {
      return List.of();
    }
    String borrower = c.getLoan().getBorrower();
    boolean declared =
        c.getLoan().getContacts().stream().map(LoanContact::getNumber).anyMatch(c.getTo()::equals);
    FanOutReaches reach =
        Reaches.of(List.of(borrower), declared ? Set.of(borrower) : Set.of())
            .setReached(c.getTo())
            .setReachedRegion(c.getToRegion())
            .setSource("LENDER:" + c.getLenderId())
            .setLenderId(c.getLenderId())
            .setAgencyId(c.getAgencyId())
            .setEventId(c.getId())
            .setTime(c.getTime())
            .build();
    return List.of(KeyValue.pair(borrower, reach));
  }
}
