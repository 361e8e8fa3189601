package org.dunwatch.schemas;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.dlq.DeadLetter;
import org.dunwatch.avro.feed.BlocklistEntry;
import org.dunwatch.avro.feed.Scorecard;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.registry.RegistryAvroSerde;
import org.dunwatch.registry.SchemaRegistryClient;

/**
 * Every topic dunwatch reads or writes, with its key and its Avro value through the schema
 * registry.
 *
 * <p>Keys are plain UTF-8 strings: the callee for calls, the recipient for messages, the loan (or
 * the number for collector registrations) for lender events, the victim for alerts. Keying telecom
 * traffic by the person receiving it lets the victim-side detectors run without a repartition.
 */
public final class Topics {

  private final TopicNames names;
  private final Topic<String, CallRecord> calls;
  private final Topic<String, SmsRecord> sms;
  private final Topic<String, LenderEvent> lender;
  private final Topic<String, Alert> alerts;
  private final Topic<byte[], DeadLetter> dlq;
  private final Topic<String, BlocklistEntry> blocklist;
  private final Topic<String, Scorecard> scorecards;

  private Topics(TopicNames names, SchemaRegistryClient registry) {
    this.names = names;
    Serde<String> keys = Serdes.String();
    this.calls = new Topic<>(names.calls(), keys, avro(registry, CallRecord.class));
    this.sms = new Topic<>(names.sms(), keys, avro(registry, SmsRecord.class));
    this.lender = new Topic<>(names.lender(), keys, avro(registry, LenderEvent.class));
    this.alerts = new Topic<>(names.alerts(), keys, avro(registry, Alert.class));
    this.dlq = new Topic<>(names.dlq(), Serdes.ByteArray(), avro(registry, DeadLetter.class));
    this.blocklist = new Topic<>(names.blocklist(), keys, avro(registry, BlocklistEntry.class));
    this.scorecards = new Topic<>(names.scorecards(), keys, avro(registry, Scorecard.class));
  }

  public static Topics create(TopicNames names, SchemaRegistryClient registry) {
    return new Topics(names, registry);
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> Serde<T> avro(
      SchemaRegistryClient registry, Class<T> type) {
    return RegistryAvroSerde.forValue(registry, type);
  }

  public TopicNames names() {
    return names;
  }

  public Topic<String, CallRecord> calls() {
    return calls;
  }

  public Topic<String, SmsRecord> sms() {
    return sms;
  }

  public Topic<String, LenderEvent> lender() {
    return lender;
  }

  public Topic<String, Alert> alerts() {
    return alerts;
  }

  public Topic<byte[], DeadLetter> dlq() {
    return dlq;
  }

  /** The telecom blocklist feed, keyed by number; compacted, a tombstone lifts an entry. */
  public Topic<String, BlocklistEntry> blocklist() {
    return blocklist;
  }

  /** The lender and agency scorecards, keyed {@code owner@period}; compacted. */
  public Topic<String, Scorecard> scorecards() {
    return scorecards;
  }

  /** The topics producers write and the streams app reads. */
  public List<String> inputNames() {
    return List.of(names.calls(), names.sms(), names.lender());
  }

  /** The topics the streams app writes. */
  public List<String> outputNames() {
    return List.of(names.alerts(), names.dlq(), names.blocklist(), names.scorecards());
  }

  /** The output topics that hold the latest value per key (cleanup.policy=compact). */
  public List<String> compactedNames() {
    return List.of(names.blocklist(), names.scorecards());
  }
}
