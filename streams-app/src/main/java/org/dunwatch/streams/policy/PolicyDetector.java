package org.dunwatch.streams.policy;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.JudgedContact;
import org.dunwatch.streams.state.PolicyContact;
import org.dunwatch.streams.state.PolicyState;

/**
 * The lender-aware policy detectors: CONTACT_FREQUENCY, OFF_HOURS_CONTACT, THIRD_PARTY_CONTACT and
 * CONTACT_AFTER_CEASE, per jurisdiction pack ({@link PolicyRule}).
 *
 * <p>Calls, messages and lender-reported attempts become {@link PolicyContact}s keyed by the
 * recipient, all co-partitioned with {@link LenderReference#NUMBER_STORE}. One processor per
 * recipient holds them: a contact is judged {@code joinWindow} of stream time after it happened, so
 * that lender facts about it that arrive a little later (a loan_opened, a registration, the
 * lender's own report of the same call) still count. Buffering rather than re-judging when a fact
 * arrives keeps "one alert per incident" simple: nothing already alerted has to be taken back.
 */
public final class PolicyDetector {

  /** Per recipient: {@link PolicyState}, its attributed contacts and incidents. */
  public static final String STATE_STORE = "policy-state";

  /** Contacts waiting for their join window, keyed {@code time(13 digits)/recipient/id}. */
  public static final String PENDING_STORE = "policy-pending";

  public static final String PROCESSOR = "policy-detectors";

  /**
   * Application setting (milliseconds of wall-clock time, default 0): a contact is also held this
   * long after it reached this processor. Lender facts come through a repartition topic a commit
   * later than the calls beside them; at replay speed a commit interval is hours of stream time, so
   * the join window alone, in stream time, can pass before a fact written just before the call is
   * here. {@code StreamsSettings} sets it from the commit interval; the test driver, which delivers
   * repartitioned records at once, leaves it at 0.
   */
  public static final String HOLD_CONFIG = "dunwatch.policy.hold.ms";

  private PolicyDetector() {}

  /** {@link #HOLD_CONFIG} as set, in milliseconds; 0 when unset. */
  public static long holdMs(Object configured) {
    if (configured == null) {
      return 0;
    }
    try {
      long ms = Long.parseLong(configured.toString().trim());
      if (ms < 0) {
        throw new NumberFormatException("negative");
      }
      return ms;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          HOLD_CONFIG + " must be milliseconds, 0 or more, got '" + configured + "'", e);
    }
  }

  /** The processor's two outputs, alerts and contacts judged, split by type. */
  static final String OUTPUTS = "policy-out-";

  /** Adds the policy detectors; their alerts and the contacts they judged come out. */
  public static Outputs addTo(
      StreamsBuilder builder,
      KStream<String, CallRecord> calls,
      KStream<String, SmsRecord> sms,
      LenderReference reference,
      PolicyRule rule) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE),
                Serdes.String(),
                AvroStateSerde.of(PolicyState.class))
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_STORE),
                Serdes.String(),
                AvroStateSerde.of(PolicyContact.class))
            // every call and message is put here and deleted one join window of stream time
            // later, usually within one commit interval: the cache folds the pair into a single
            // delete instead of a RocksDB put, a delete and two changelog records
            .withCachingEnabled());
    KStream<String, PolicyContact> contacts =
        calls
            .mapValues(LenderReference::contactOf, Named.as("policy-calls"))
            .merge(
                sms.mapValues(LenderReference::contactOf, Named.as("policy-sms")),
                Named.as("policy-telecom"))
            .merge(reference.attempts(), Named.as("policy-contacts"));
    String[] stores =
        Stream.concat(
                Stream.of(STATE_STORE, PENDING_STORE), Arrays.stream(LenderReference.stores()))
            .toArray(String[]::new);
    Map<String, KStream<String, SpecificRecord>> out =
        contacts
            .process(
                () -> new PolicyProcessor(rule, reference.rule().joinWindow()),
                Named.as(PROCESSOR),
                stores)
            .split(Named.as(OUTPUTS))
            .branch((k, v) -> v instanceof Alert, Branched.as("alerts"))
            .defaultBranch(Branched.as("judged"));
    return new Outputs(
        out.get(OUTPUTS + "alerts").mapValues(v -> (Alert) v, Named.as("policy-alerts-out")),
        out.get(OUTPUTS + "judged")
            .mapValues(v -> (JudgedContact) v, Named.as("policy-judged-out")));
  }

  /**
   * What the policy detectors put out.
   *
   * @param alerts keyed by the recipient (victim)
   * @param judged every collection contact judged, once, keyed by the recipient (for scorecards)
   */
  public record Outputs(KStream<String, Alert> alerts, KStream<String, JudgedContact> judged) {}
}
