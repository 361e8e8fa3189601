package org.dunwatch.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class KafkaBrokerIT {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerIT.class);

  private final List<String> progress = new ArrayList<>();

  private void record(String line) {
    LOG.info(line);
    progress.add(line);
  }

  @Test
  void shouldServeProduceAndConsumeOnLoopback() throws Exception {
    KafkaBroker broker = KafkaBroker.builder().log(this::record).start();
    Path dataDir = broker.dataDir();
    ProcessHandle child = ProcessHandle.of(broker.pid()).orElseThrow();
    try {
      assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
      broker.createTopics(Map.of("deploy.it.calls", 3));

      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        assertEquals(
            3,
            admin
                .describeTopics(Set.of("deploy.it.calls"))
                .allTopicNames()
                .get()
                .get("deploy.it.calls")
                .partitions()
                .size());
      }

      RecordMetadata sent;
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(broker))) {
        sent =
            producer.send(new ProducerRecord<>("deploy.it.calls", "+8613800000000", "ring")).get();
      }
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(broker))) {
        consumer.subscribe(List.of("deploy.it.calls"));
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                  return !received.isEmpty();
                });
        assertEquals(1, received.size());
        assertEquals("+8613800000000", received.get(0).key());
        assertEquals("ring", received.get(0).value());
        assertEquals(sent.partition(), received.get(0).partition());
      }
    } finally {
      broker.close();
    }

    assertFalse(child.isAlive(), "broker JVM " + child.pid() + " still runs after close");
    assertFalse(Files.exists(dataDir), "temporary data dir left behind: " + dataDir);
    assertTrue(
        progress.stream().anyMatch(line -> line.contains("broker ready")), progress.toString());
  }

  @Test
  void shouldAcceptTopicsThatAlreadyExist() {
    try (KafkaBroker broker = KafkaBroker.builder().log(LOG::info).start()) {
      broker.createTopics(Map.of("deploy.it.twice", 2));
      broker.createTopics(Map.of("deploy.it.twice", 5, "deploy.it.new", 1));
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        Set<String> names = admin.listTopics().names().get();
        assertTrue(names.containsAll(Set.of("deploy.it.twice", "deploy.it.new")), names.toString());
        assertEquals(
            2,
            admin
                .describeTopics(Set.of("deploy.it.twice"))
                .allTopicNames()
                .get()
                .get("deploy.it.twice")
                .partitions()
                .size());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void shouldKeepTopicsAndRecordsInAGivenDataDirAcrossRestarts(@TempDir Path dataDir)
      throws Exception {
    try (KafkaBroker broker = KafkaBroker.builder().dataDir(dataDir).log(LOG::info).start()) {
      broker.createTopics(Map.of("deploy.it.kept", 1));
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(broker))) {
        producer.send(new ProducerRecord<>("deploy.it.kept", "k", "v")).get();
      }
    }
    assertTrue(Files.isDirectory(dataDir.resolve("kafka-data")), "data dir was deleted");

    try (KafkaBroker broker = KafkaBroker.builder().dataDir(dataDir).log(LOG::info).start();
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(broker))) {
      consumer.subscribe(List.of("deploy.it.kept"));
      List<String> values = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return !values.isEmpty();
              });
      assertEquals(List.of("v"), values);
    }
  }

  @Test
  void shouldStopTheBrokerWhenTheJvmThatStartedItIsKilled(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    Path pidFile = dir.resolve("broker.pid");
    Process parent =
        new ProcessBuilder(
                ChildJvm.javaBinary().toString(),
                "-cp",
                ChildJvm.join(ChildJvm.currentClasspath()),
                KafkaBrokerParent.class.getName(),
                dataDir.toString(),
                pidFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("parent.log").toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> Files.exists(pidFile) || !parent.isAlive());
      assertTrue(
          parent.isAlive(), () -> "parent JVM died: " + LogTail.of(dir.resolve("parent.log")));
      ProcessHandle broker =
          ProcessHandle.of(Long.parseLong(Files.readString(pidFile))).orElseThrow();

      // SIGKILL: no shutdown hook runs, so only the watchdog in the broker can notice.
      parent.destroyForcibly().waitFor();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertFalse(broker.isAlive(), "broker " + broker.pid() + " leaked"));
      assertTrue(
          Files.readString(dataDir.resolve(KafkaBroker.LOG_FILE))
              .contains("parent process is gone"));
    } finally {
      parent.destroyForcibly();
    }
  }

  @Test
  void shouldExplainAFailedStartWithTheEndOfTheBrokerLog() {
    DeployException e =
        assertThrows(
            DeployException.class,
            () -> KafkaBroker.builder().brokerProperty("log.retention.ms", "soon").start());

    assertTrue(e.getMessage().contains("--- last 30 lines of"), e.getMessage());
    assertTrue(e.getMessage().contains("log.retention.ms"), e.getMessage());
  }

  private static Properties producerConfig(KafkaBroker broker) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return config;
  }

  private static Properties consumerConfig(KafkaBroker broker) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "deploy-it-" + System.nanoTime());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return config;
  }
}
