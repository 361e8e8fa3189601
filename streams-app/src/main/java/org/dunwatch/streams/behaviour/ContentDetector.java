package org.dunwatch.streams.behaviour;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.streams.content.ContentClassifier;
import org.dunwatch.streams.content.Recipient;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.ContentState;

/**
 * THIRD_PARTY_DISCLOSURE and THREAT_OR_ABUSE from message bodies: telecom SMS and lender-reported
 * collection attempts, judged by a {@link ContentClassifier}.
 *
 * <p>An incident is one victim, one subject (the SMS sender, or the lender of an attempt) and one
 * type; the first matching message opens it, and it is re-issued under the same id when its count
 * of matching messages reaches {@code regrowthFactor} times the last alerted (1, 2, 4, 8, …) or its
 * severity rises. Alerts quote the matched phrases (at most {@code maxQuotedPhrases}, each at most
 * {@link ContentRule#MAX_PHRASE_CHARS} characters), never the whole body.
 *
 * <p>No repartition: SMS incidents live in {@link #SMS_STORE} under the recipient (the SMS key),
 * attempt incidents in {@link #ATTEMPT_STORE} under the lender event key ({@code
 * lender_id/loan_id}), since an attempt's incident is about one loan.
 */
public final class ContentDetector {

  /** Per recipient id: open SMS content incidents. */
  public static final String SMS_STORE = "content-sms-incidents";

  /** Per {@code lender_id/loan_id}: open content incidents of that loan's reported attempts. */
  public static final String ATTEMPT_STORE = "content-attempt-incidents";

  public static final String SMS_PROCESSOR = "content-sms";
  public static final String ATTEMPT_PROCESSOR = "content-attempts";

  private ContentDetector() {}

  public static KStream<String, Alert> addTo(
      StreamsBuilder builder,
      KStream<String, SmsRecord> sms,
      KStream<String, LenderEvent> lender,
      ContentRule rule,
      ContentClassifier classifier) {
    Objects.requireNonNull(rule, "rule");
    builder.addStateStore(storeBuilder(SMS_STORE));
    builder.addStateStore(storeBuilder(ATTEMPT_STORE));
    KStream<String, Alert> fromSms =
        sms.process(
            () ->
                new ContentProcessor<SmsRecord>(
                    rule, classifier, SMS_STORE, ContentDetector::fromSms, true),
            Named.as(SMS_PROCESSOR),
            Stream.concat(Stream.of(SMS_STORE), Arrays.stream(LenderReference.stores()))
                .toArray(String[]::new));
    KStream<String, Alert> fromAttempts =
        lender.process(
            () ->
                new ContentProcessor<LenderEvent>(
                    rule, classifier, ATTEMPT_STORE, ContentDetector::fromAttempt, false),
            Named.as(ATTEMPT_PROCESSOR),
            ATTEMPT_STORE);
    return fromSms.merge(fromAttempts, Named.as("content-alerts"));
  }

  static StoreBuilder<KeyValueStore<String, ContentState>> storeBuilder(String name) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name),
            Serdes.String(),
            AvroStateSerde.of(ContentState.class))
        .withCachingEnabled();
  }

  /**
   * Without lender data, whether an SMS reader is the debtor is unknown. The lender is filled in by
   * {@link ContentProcessor} when the sender (a number or a sender id) is registered.
   */
  static ContentMessage fromSms(SmsRecord sms) {
    if (sms.getBody() == null || sms.getBody().isBlank() || sms.getRecipient() == null) {
      return null;
    }
    return new ContentMessage(
        sms.getRecipient().getId(),
        SubjectKind.NUMBER,
        sms.getSender().getId(),
        null,
        null,
        null,
        sms.getRecipient().getRegion(),
        sms.getMessageId(),
        sms.getBody(),
        Recipient.UNKNOWN,
        false);
  }

  /** A lender-reported attempt with a body; its target role says who the reader is. */
  static ContentMessage fromAttempt(LenderEvent event) {
    if (!(event.getPayload() instanceof CollectionAttempt a)
        || a.getBody() == null
        || a.getBody().isBlank()
        || a.getTarget() == null) {
      return null;
    }
    Recipient reader =
        switch (a.getTargetRole()) {
          case BORROWER, GUARANTOR -> Recipient.DEBTOR;
          case EMERGENCY_CONTACT, THIRD_PARTY -> Recipient.NOT_DEBTOR;
          case UNKNOWN -> Recipient.UNKNOWN;
        };
    return new ContentMessage(
        a.getTarget().getId(),
        SubjectKind.LENDER,
        event.getLenderId(),
        event.getLenderId(),
        a.getAgencyId(),
        a.getLoanId(),
        a.getTarget().getRegion(),
        event.getEventId(),
        a.getBody(),
        reader,
        true);
  }
}
