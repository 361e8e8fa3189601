package org.dunwatch.schemas;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.dlq.DeadLetter;
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

  private Topics(TopicNames names, SchemaRegistryClient registry) {
    this.names = names;
    Serde<String> keys = Serdes.String();
    this.calls = new Topic<>(names.calls(), keys, avro(registry, CallRecord.class));
    this.sms = new Topic<>(names.sms(), keys, avro(registry, SmsRecord.class));
    this.lender = new Topic<>(names.lender(), keys, avro(registry, LenderEvent.class));
    this.alerts = new Topic<>(names.alerts(), keys, avro(registry, Alert.class));
    this.dlq = new Topic<>(names.dlq(), Serdes.ByteArray(), avro(registry, DeadLetter.class));
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

  /** The topics producers write and the streams app reads. */
  public List<String> inputNames() {
    return List.of(names.calls(), names.sms(), names.lender());
  }

  /** The topics the streams app writes. */
  public List<String> outputNames() {
    return List.of(names.alerts(), names.dlq());
  }
}
