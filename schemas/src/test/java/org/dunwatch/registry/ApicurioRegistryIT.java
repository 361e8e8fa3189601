package org.dunwatch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.dunwatch.avro.lender.Application;
import org.dunwatch.avro.lender.CeaseRequest;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.deploy.ApicurioRegistry;
import org.dunwatch.deploy.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry client and serde against a real Apicurio Registry 3.0.9 and a real broker. */
class ApicurioRegistryIT {

  private static ApicurioRegistry apicurio;
  private static KafkaBroker kafka;
  private static SchemaRegistryClient client;

  @BeforeAll
  static void start() {
    apicurio = ApicurioRegistry.builder().log(m -> System.err.println("[apicurio] " + m)).start();
    kafka = KafkaBroker.builder().start();
    client = SchemaRegistryClient.create(RegistryConfig.of(apicurio.ccompatUrl()));
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    if (apicurio != null) {
      apicurio.close();
    }
  }

  @Test
  void shouldRegisterAndLookUpBySchemaId() {
    int id = client.register("it-register-value", SmsRecord.getClassSchema());

    // a fresh client has no cache: the schema really comes from the registry
    SchemaRegistryClient fresh =
        SchemaRegistryClient.create(RegistryConfig.of(apicurio.ccompatUrl()));
    assertEquals(SmsRecord.getClassSchema(), fresh.getById(id));
    assertEquals(id, fresh.register("it-register-value", SmsRecord.getClassSchema()));
  }

  @Test
  void shouldRoundTripRecordsThroughKafkaInTheWireFormat() {
    String topic = "it-sms-roundtrip";
    kafka.createTopics(Map.of(topic, 2));
    RegistryAvroSerde<SmsRecord> serde = RegistryAvroSerde.forValue(client, SmsRecord.class);
    SmsRecord sent = RegistryAvroSerdeTest.sms("it-1", "【闪电借款】您的亲友已严重逾期，请督促其还款");

    try (KafkaProducer<String, SmsRecord> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            serde.serializer())) {
      producer.send(new ProducerRecord<>(topic, "+8618812345678", sent));
    }

    // another serde with its own cache reads it back through the registry
    RegistryAvroSerde<SmsRecord> reader =
        RegistryAvroSerde.forValue(
            SchemaRegistryClient.create(RegistryConfig.of(apicurio.ccompatUrl())), SmsRecord.class);
    List<SmsRecord> received = new ArrayList<>();
    try (KafkaConsumer<String, SmsRecord> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-roundtrip",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            reader.deserializer())) {
      consumer.subscribe(List.of(topic));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
                return !received.isEmpty();
              });
    }
    assertEquals(List.of(sent), received);
  }

  @Test
  void shouldRefuseAnIncompatibleChangeUnderBackwardCompatibility() {
    String subject = "it-compat-value";
    client.register(subject, SmsRecord.getClassSchema());
    client.setCompatibility(subject, "BACKWARD");

    Schema incompatible =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"SmsRecord\",\"namespace\":\"org.dunwatch.avro.telecom\","
                    + "\"fields\":[{\"name\":\"message_id\",\"type\":\"string\"},"
                    + "{\"name\":\"imei\",\"type\":\"string\"}]}");
    assertFalse(client.isCompatible(subject, incompatible));
    SchemaRegistryException e =
        assertThrows(SchemaRegistryException.class, () -> client.register(subject, incompatible));
    assertTrue(e.isIncompatible(), e.getMessage());
    assertTrue(e.getMessage().contains("incompatible"), e.getMessage());
  }

  /**
   * The {@code application} branch added to {@code LenderEvent.payload} after release 0.1.0,
   * checked the way a deployment meets it: the released schema is registered first (an old
   * producer), the subject is set to BACKWARD, then the current schema must be accepted. Bytes of
   * either go both ways through the registry's ids: old bytes decode with the current classes, and
   * a consumer still on 0.1.0 decodes every kind it knows from a new producer. An application
   * itself is refused by that old consumer (Avro has no default branch for unions), which is why
   * the new kind is a new branch rather than a change to an old one: nothing an old consumer could
   * read before becomes unreadable.
   */
  @Test
  void shouldEvolveTheLenderEventWithApplicationsUnderBackwardCompatibility() throws Exception {
    String topic = "it-lender-evolution";
    String subject = RegistryAvroSerde.subject(topic, false);
    Schema released;
    try (java.io.InputStream in =
        getClass().getResourceAsStream("/released/0.1.0/LenderEvent.avsc")) {
      released = new Schema.Parser().parse(in);
    }
    int oldId = client.register(subject, released);
    client.setCompatibility(subject, "BACKWARD");
    assertTrue(client.isCompatible(subject, LenderEvent.getClassSchema()));
    int newId = client.register(subject, LenderEvent.getClassSchema());
    assertTrue(newId != oldId);

    // an old producer's cease request, in the wire format, read by the current classes
    org.apache.avro.generic.GenericRecord requester =
        new org.apache.avro.generic.GenericData.Record(
            released.getField("payload").schema().getTypes().stream()
                .filter(t -> t.getName().equals("CeaseRequest"))
                .findFirst()
                .orElseThrow()
                .getField("requester")
                .schema());
    requester.put("id", "pn_old");
    requester.put(
        "kind",
        new org.apache.avro.generic.GenericData.EnumSymbol(
            requester.getSchema().getField("kind").schema(), "PSEUDONYM"));
    Schema ceaseSchema =
        released.getField("payload").schema().getTypes().stream()
            .filter(t -> t.getName().equals("CeaseRequest"))
            .findFirst()
            .orElseThrow();
    org.apache.avro.generic.GenericRecord cease =
        new org.apache.avro.generic.GenericData.Record(ceaseSchema);
    cease.put("loan_id", "L1");
    cease.put("requester", requester);
    org.apache.avro.generic.GenericRecord oldEvent =
        new org.apache.avro.generic.GenericData.Record(released);
    oldEvent.put("event_id", "old:1");
    oldEvent.put("lender_id", "LA");
    oldEvent.put("at", 1_700_000_000_000L);
    oldEvent.put("payload", cease);
    byte[] oldBytes = wire(oldId, released, oldEvent);

    RegistryAvroSerde<LenderEvent> current = RegistryAvroSerde.forValue(client, LenderEvent.class);
    LenderEvent read = current.deserialize(topic, oldBytes);
    assertEquals("old:1", read.getEventId());
    assertEquals("pn_old", ((CeaseRequest) read.getPayload()).getRequester().getId());

    // a new producer's events read by a consumer that only knows 0.1.0
    LenderEvent newCease = LenderEvent.newBuilder(read).setEventId("new:1").build();
    org.apache.avro.generic.GenericRecord seenByOld =
        readAsOld(current.serialize(topic, newCease), released);
    assertEquals("new:1", seenByOld.get("event_id").toString());
    assertEquals(
        "L1",
        ((org.apache.avro.generic.GenericRecord) seenByOld.get("payload"))
            .get("loan_id")
            .toString());

    LenderEvent application =
        LenderEvent.newBuilder(read)
            .setEventId("new:2")
            .setPayload(
                Application.newBuilder()
                    .setApplicationId("A1")
                    .setApplicant(
                        org.dunwatch.avro.common.Party.newBuilder()
                            .setId("pn_applicant")
                            .setKind(org.dunwatch.avro.common.PartyKind.PSEUDONYM)
                            .build())
                    .setForwardedTo(List.of("LB"))
                    .build())
            .build();
    byte[] applicationBytes = current.serialize(topic, application);
    assertEquals(application, current.deserialize(topic, applicationBytes));
    assertThrows(
        org.apache.avro.AvroTypeException.class, () -> readAsOld(applicationBytes, released));
  }

  private static byte[] wire(int id, Schema schema, Object datum) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(0);
    out.write(java.nio.ByteBuffer.allocate(4).putInt(id).array());
    org.apache.avro.io.BinaryEncoder enc =
        org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
    new org.apache.avro.generic.GenericDatumWriter<Object>(schema).write(datum, enc);
    enc.flush();
    return out.toByteArray();
  }

  /** What a 0.1.0 consumer does: the writer schema by id from the registry, resolved to its own. */
  private static org.apache.avro.generic.GenericRecord readAsOld(byte[] bytes, Schema reader)
      throws java.io.IOException {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
    assertEquals(0, buf.get());
    Schema writer =
        SchemaRegistryClient.create(RegistryConfig.of(apicurio.ccompatUrl())).getById(buf.getInt());
    return new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>(
            writer, reader)
        .read(
            null,
            org.apache.avro.io.DecoderFactory.get()
                .binaryDecoder(bytes, 5, bytes.length - 5, null));
  }

  @Test
  void shouldAcceptACompatibleEvolution() {
    String subject = "it-evolve-value";
    Schema v1 =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
    Schema v2 =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},"
                    + "{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
    int id1 = client.register(subject, v1);
    client.setCompatibility(subject, "BACKWARD");
    assertTrue(client.isCompatible(subject, v2));
    int id2 = client.register(subject, v2);
    assertTrue(id2 != id1);
  }
}
