package org.dunwatch.streams.behaviour;

import java.time.Duration;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.WrongPartyState;

/**
 * WRONG_PARTY: a number pursued about debts of borrowers it has no tie to. Victim: that number;
 * subject: the lender with most contacts, every lender named in the metrics and explanation.
 *
 * <pre>
 * calls (by callee)        ─► wrong-party-call-contacts ─┐
 * sms (by recipient)       ─► wrong-party-sms-contacts  ─┼─► wrong-party (wrong-party-state, circle-state,
 * lender attempts (by target) ───────────────────────────┘                lender-by-number, lender-collectors)
 * </pre>
 *
 * <p>Every input is keyed by the number contacted, which is also the key of the circle and lender
 * stores (calls topic, and the internal topics {@code calls-by-caller} and {@code
 * lender-facts-by-number} sized like it), so no repartition is needed: the number's loans and
 * circle are on the partition that judges it. A borrower's side of the tie is not needed either:
 * {@code circle-state} holds both sides of every call, so the number's own circle says whether it
 * was in touch with the borrower.
 *
 * <p>Needs the circles: call {@link FanOutDetector#addTo} on the same builder first.
 */
public final class WrongPartyDetector {

  /** Per number pursued: {@link WrongPartyState}. */
  public static final String STORE = "wrong-party-state";

  public static final String CALL_CONTACTS = "wrong-party-call-contacts";
  public static final String SMS_CONTACTS = "wrong-party-sms-contacts";
  public static final String PROCESSOR = "wrong-party";

  /** How often, in stream time, numbers with nothing left in the window are purged. */
  public static final Duration PURGE_INTERVAL = Duration.ofHours(6);

  private WrongPartyDetector() {}

  /**
   * @param circles the circle definition ({@code fan_out.circle}) that says who is in touch
   * @return alerts keyed by the victim (the number pursued)
   */
  public static KStream<String, Alert> addTo(
      StreamsBuilder builder,
      KStream<String, CallRecord> calls,
      KStream<String, SmsRecord> sms,
      LenderReference lender,
      WrongPartyRule rule,
      FanOutRule circles) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(circles, "circles");
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE),
                Serdes.String(),
                AvroStateSerde.of(WrongPartyState.class))
            .withCachingEnabled());
    String[] stores =
        Stream.concat(Stream.of(STORE, Circles.STORE), Stream.of(LenderReference.stores()))
            .toArray(String[]::new);
    return calls
        .mapValues(LenderReference::contactOf, Named.as(CALL_CONTACTS))
        .merge(
            sms.mapValues(LenderReference::contactOf, Named.as(SMS_CONTACTS)),
            Named.as("wrong-party-telecom"))
        .merge(lender.attempts(), Named.as("wrong-party-contacts"))
        .process(() -> new WrongPartyProcessor(rule, circles), Named.as(PROCESSOR), stores);
  }
}
