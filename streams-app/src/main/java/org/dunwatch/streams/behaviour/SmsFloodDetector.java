package org.dunwatch.streams.behaviour;

import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.telecom.SmsCategory;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.streams.content.ContentClassifier;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.SmsFloodState;

/**
 * SMS_FLOOD (verification-code bombing): one recipient flooded with messages, above all the codes
 * that arrive when a collector registers the victim's number on many sites.
 *
 * <p>A recipient is flooded when, in any sliding window of event time, it receives codes from at
 * least {@code otpSenders} distinct senders within {@code otpSendersWindow} (10 min), or {@code
 * otpMessagesPerHour} codes in 1 h, or {@code messagesPerHour} messages of any kind in 1 h. A
 * message is a code when its category is OTP, or its category is UNKNOWN and its body reads as one
 * (lexicon cue {@code otp}). State is per recipient, so a bank sending one code each to many people
 * never adds up: each of them got one.
 *
 * <p>One alert per incident, re-issued under the same id when it grows (severity rises, or the
 * count reaches {@code regrowthFactor} times the last alerted); {@code quietPeriod} without a
 * message ends it. Messages are keyed by recipient, so there is no repartition.
 */
public final class SmsFloodDetector {

  /** Per recipient id: recent messages and the open incident, {@link SmsFloodState}. */
  public static final String STORE = "sms-flood-state";

  public static final String PROCESSOR = "sms-flood";

  /** How often, in stream time, idle recipients are purged from {@link #STORE}. */
  public static final Duration PURGE_INTERVAL = Duration.ofMinutes(30);

  private SmsFloodDetector() {}

  /**
   * Adds the detector and its store to {@code builder}.
   *
   * @param sms decoded, on-time messages keyed by recipient id, timestamped with their sent time
   * @param classifier reads message bodies (for codes sent with category UNKNOWN)
   * @param grace how late a message may still arrive (enforced upstream)
   * @return alerts keyed by the victim (recipient id)
   */
  public static KStream<String, Alert> addTo(
      StreamsBuilder builder,
      KStream<String, SmsRecord> sms,
      SmsFloodRule rule,
      ContentClassifier classifier,
      Duration grace) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(classifier, "classifier");
    if (grace == null || grace.isNegative()) {
      throw new IllegalArgumentException("grace must be a non-negative duration, got " + grace);
    }
    builder.addStateStore(storeBuilder());
    return sms.process(
        () -> new SmsFloodProcessor(rule, classifier, grace), Named.as(PROCESSOR), STORE);
  }

  static StoreBuilder<KeyValueStore<String, SmsFloodState>> storeBuilder() {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE),
            Serdes.String(),
            AvroStateSerde.of(SmsFloodState.class))
        .withCachingEnabled();
  }

  /** A verification code: category OTP, or UNKNOWN with a body that reads as one. */
  static boolean isOtp(SmsRecord sms, ContentClassifier classifier) {
    return sms.getCategory() == SmsCategory.OTP
        || (sms.getCategory() == SmsCategory.UNKNOWN && classifier.looksLikeOtp(sms.getBody()));
  }
}
