package org.dunwatch.streams.datatrade;

import java.util.Objects;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.lender.Application;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.DataTradeApplication;
import org.dunwatch.streams.state.DataTradeBuyer;
import org.dunwatch.streams.state.DataTradeContact;
import org.dunwatch.streams.state.DataTradeCounts;
import org.dunwatch.streams.state.DataTradeNumber;

/**
 * DATA_TRADE: a party making first contact with many of one source's applicants within days of
 * their applying, far above what their share of all numbers would give (report 003: a loan
 * supermarket selling its applicants through an API). Subject: the buyer; {@code lender_id}: the
 * source. Rule and defaults: {@code docs/data-trade.md}.
 *
 * <pre>
 * lender (applications) ─► data-trade-applications-by-applicant (repartition) ─┐
 * calls (by callee)     ─► data-trade-call-contacts ──────────────────────────┼─► data-trade-first-contacts
 * sms (by recipient)    ─► data-trade-sms-contacts  ──────────────────────────┘   (data-trade-numbers, data-trade-base,
 *                                                                                  lender-by-number, lender-collectors)
 *   ─► data-trade-first-contacts-by-buyer (repartition) ─► data-trade-buyers (data-trade-buyers) ─► alerts
 * </pre>
 *
 * <p>Two internal topics, each fed by this detector alone: applications re-keyed by applicant (one
 * append per application event) and first contacts toward tracked numbers re-keyed by buyer (one
 * append per first contact toward a recent applicant or a panel number; none for any other
 * contact). The applicant side runs where the calls already are (keyed by callee) and reads the
 * shared lender reference there, so calls and messages cost no append of their own.
 */
public final class DataTradeDetector {

  /** Per tracked number: {@link DataTradeNumber}. */
  public static final String NUMBER_STORE = "data-trade-numbers";

  /** Per partition: the panel total and each source's applications per day. */
  public static final String BASE_STORE = "data-trade-base";

  /** Per buyer ({@code NUMBER:id} or {@code LENDER:id}): {@link DataTradeBuyer}. */
  public static final String BUYER_STORE = "data-trade-buyers";

  public static final String APPLICATIONS = "data-trade-applications";
  public static final String BY_APPLICANT = "data-trade-applications-by-applicant";
  public static final String CALL_CONTACTS = "data-trade-call-contacts";
  public static final String SMS_CONTACTS = "data-trade-sms-contacts";
  public static final String FIRST_CONTACTS = "data-trade-first-contacts";
  public static final String BY_BUYER = "data-trade-first-contacts-by-buyer";
  public static final String BUYERS = "data-trade-buyers";

  private DataTradeDetector() {}

  /**
   * @param lender decoded lender events (applications are taken from it)
   * @param reference the topology's one lender reference, for collectors and declared contacts
   * @return alerts keyed by the buyer's id
   */
  public static KStream<String, Alert> addTo(
      StreamsBuilder builder,
      KStream<String, CallRecord> calls,
      KStream<String, SmsRecord> sms,
      KStream<String, LenderEvent> lender,
      LenderReference reference,
      DataTradeRule rule) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(rule, "rule");
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(NUMBER_STORE),
                Serdes.String(),
                AvroStateSerde.of(DataTradeNumber.class))
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BASE_STORE),
                Serdes.String(),
                AvroStateSerde.of(DataTradeCounts.class))
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BUYER_STORE),
                Serdes.String(),
                AvroStateSerde.of(DataTradeBuyer.class))
            .withCachingEnabled());
    KStream<String, Object> applications =
        lender
            .flatMap(
                (k, e) ->
                    e != null && e.getPayload() instanceof Application a
                        ? java.util.List.of(KeyValue.pair(a.getApplicant().getId(), tracked(e, a)))
                        : java.util.List.<KeyValue<String, DataTradeApplication>>of(),
                Named.as(APPLICATIONS))
            .repartition(
                Repartitioned.<String, DataTradeApplication>as(BY_APPLICANT)
                    .withKeySerde(Serdes.String())
                    .withValueSerde(AvroStateSerde.of(DataTradeApplication.class)))
            .mapValues(a -> (Object) a, Named.as(APPLICATIONS + "-in"));
    String[] stores =
        Stream.concat(Stream.of(NUMBER_STORE, BASE_STORE), Stream.of(LenderReference.stores()))
            .toArray(String[]::new);
    return calls
        .mapValues(c -> (Object) LenderReference.contactOf(c), Named.as(CALL_CONTACTS))
        .merge(
            sms.mapValues(m -> (Object) LenderReference.contactOf(m), Named.as(SMS_CONTACTS)),
            Named.as(FIRST_CONTACTS + "-telecom"))
        .merge(applications, Named.as(FIRST_CONTACTS + "-in"))
        .process(() -> new FirstContactProcessor(rule), Named.as(FIRST_CONTACTS), stores)
        .repartition(
            Repartitioned.<String, DataTradeContact>as(BY_BUYER)
                .withKeySerde(Serdes.String())
                .withValueSerde(AvroStateSerde.of(DataTradeContact.class)))
        .process(() -> new BuyerProcessor(rule), Named.as(BUYERS), BUYER_STORE);
  }

  private static DataTradeApplication tracked(LenderEvent e, Application a) {
    return new DataTradeApplication(
        e.getLenderId(),
        a.getApplicationId(),
        e.getEventId(),
        e.getAt().toEpochMilli(),
        new java.util.ArrayList<>(a.getForwardedTo()));
  }
}
