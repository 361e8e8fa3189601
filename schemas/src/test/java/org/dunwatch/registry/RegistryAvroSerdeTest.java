package org.dunwatch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.telecom.SmsCategory;
import org.dunwatch.avro.telecom.SmsRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryAvroSerdeTest {

  private static final String SCOPE = "serde-test";
  private final SchemaRegistryClient registry =
      SchemaRegistryClient.create(RegistryConfig.of("mock://" + SCOPE));
  private final RegistryAvroSerde<SmsRecord> serde =
      RegistryAvroSerde.forValue(registry, SmsRecord.class);

  @AfterEach
  void dropScope() {
    MockSchemaRegistry.drop(SCOPE);
  }

  @Test
  void shouldWriteMagicByteAndSchemaIdThenAvro() {
    byte[] bytes = serde.serialize("telecom.sms.v1", sms("m-1", "您的验证码是 123456"));

    assertEquals(0, bytes[0]);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertEquals(SmsRecord.getClassSchema(), registry.getById(id));
    assertEquals(id, registry.register("telecom.sms.v1-value", SmsRecord.getClassSchema()));
  }

  @Test
  void shouldRoundTripChineseBodies() {
    SmsRecord in = sms("m-2", "您的亲友谭正在闪电借款严重逾期2187.00元");
    assertEquals(in, serde.deserialize("t", serde.serialize("t", in)));
  }

  @Test
  void shouldDecodeRecordsWrittenWithAnOlderSchema() throws IOException {
    // The older writer had no body field: the reader fills in its null default.
    Schema current = SmsRecord.getClassSchema();
    List<Schema.Field> olderFields =
        current.getFields().stream()
            .filter(f -> !f.name().equals("body"))
            .map(f -> new Schema.Field(f, f.schema()))
            .toList();
    Schema older =
        Schema.createRecord(current.getName(), null, current.getNamespace(), false, olderFields);
    int olderId = registry.register("old-value", older);

    GenericRecord party = new GenericData.Record(Party.getClassSchema());
    party.put("id", "+8618812345678");
    party.put("kind", new GenericData.EnumSymbol(PartyKind.getClassSchema(), "E164"));
    GenericRecord record = new GenericData.Record(older);
    record.put("message_id", "m-old");
    record.put("carrier", "CM");
    record.put("sender", party);
    record.put("recipient", party);
    record.put("sent_time", Instant.parse("2024-07-26T02:00:00Z").toEpochMilli());
    record.put("category", new GenericData.EnumSymbol(SmsCategory.getClassSchema(), "OTP"));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(olderId).array());
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(older).write(record, enc);
    enc.flush();

    SmsRecord decoded = serde.deserialize("old", out.toByteArray());
    assertEquals("m-old", decoded.getMessageId());
    assertNull(decoded.getBody());
    assertEquals(SmsCategory.OTP, decoded.getCategory());
  }

  @Test
  void shouldRoundTripAlertsWithOptionalTimestamps() {
    RegistryAvroSerde<org.dunwatch.avro.alert.Alert> alerts =
        RegistryAvroSerde.forValue(registry, org.dunwatch.avro.alert.Alert.class);
    org.dunwatch.avro.alert.Alert alert =
        org.dunwatch.avro.alert.Alert.newBuilder(
                org.dunwatch.schemas.AlertJson.fromJson(
                    "{\"alert_id\":\"a\",\"type\":\"CALL_FLOOD\",\"rule_id\":\"r\",\"rule_version\":1,"
                        + "\"severity\":\"HIGH\",\"subject\":{\"kind\":\"NUMBER\",\"id\":\"x\"},"
                        + "\"window_start\":\"2024-07-26T00:00:00Z\",\"window_end\":\"2024-07-26T01:00:00Z\","
                        + "\"detected_at\":\"2024-07-26T01:00:00Z\",\"metrics\":{\"calls\":15},"
                        + "\"evidence\":{\"event_ids\":[\"c1\"],\"total\":15},\"explanation\":\"e\"}"))
            .setRevision(2)
            .setTriggeredAt(Instant.parse("2024-07-26T00:59:00Z"))
            .build();
    assertEquals(alert, alerts.deserialize("alerts", alerts.serialize("alerts", alert)));
  }

  @Test
  void shouldRefuseBytesWithoutTheMagicByte() {
    SerializationException e =
        assertThrows(
            SerializationException.class,
            () -> serde.deserialize("t", "not avro at all".getBytes()));
    assertTrue(e.getMessage().contains("magic byte"), e.getMessage());
  }

  @Test
  void shouldRefuseAnUnknownSchemaId() {
    byte[] bytes = {0, 0, 0, 0x7f, 0x7f, 2, 'a'};
    SerializationException e =
        assertThrows(SerializationException.class, () -> serde.deserialize("t", bytes));
    assertTrue(e.getMessage().contains("schema id"), e.getMessage());
  }

  @Test
  void shouldRefuseTruncatedRecords() {
    byte[] bytes = serde.serialize("t", sms("m-3", "hello"));
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 4);
    assertThrows(SerializationException.class, () -> serde.deserialize("t", cut));
  }

  @Test
  void shouldRefuseAnIncompatibleSchemaChange() {
    registry.register("x-value", SmsRecord.getClassSchema());
    Schema incompatible =
        Schema.createRecord(
            "SmsRecord",
            null,
            "org.dunwatch.avro.telecom",
            false,
            List.of(new Schema.Field("message_id", Schema.create(Schema.Type.INT))));
    SchemaRegistryException e =
        assertThrows(
            SchemaRegistryException.class, () -> registry.register("x-value", incompatible));
    assertTrue(e.isIncompatible());
  }

  static SmsRecord sms(String id, String body) {
    Party from = new Party("106900001234", PartyKind.SENDER_ID, null, null);
    Party to = new Party("+8618812345678", PartyKind.E164, "CN", "Asia/Shanghai");
    return SmsRecord.newBuilder()
        .setMessageId(id)
        .setCarrier("CM")
        .setSender(from)
        .setRecipient(to)
        .setSentTime(Instant.parse("2024-07-26T02:00:00Z"))
        .setCategory(SmsCategory.OTP)
        .setBody(body)
        .build();
  }
}
