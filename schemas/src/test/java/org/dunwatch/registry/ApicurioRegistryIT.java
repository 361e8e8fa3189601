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
