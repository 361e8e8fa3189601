package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.dunwatch.deploy.KafkaBroker;
import org.dunwatch.schemas.TopicNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dunwatch topics create} and {@code dunwatch reset} against a real broker. */
class LifecycleCommandsIT {

  private static KafkaBroker kafka;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    kafka = KafkaBroker.builder().start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
  }

  @Test
  void shouldCreateEveryTopicOnceSetDriftedConfigsAndReportAPartitionMismatch() throws Exception {
    String prefix = "lc.";
    String[] create = {
      "topics",
      "create",
      "--partitions",
      "2",
      "--replication-factor",
      "1",
      "--bootstrap-servers",
      kafka.bootstrapServers()
    };
    Path config = Files.writeString(tmp.resolve("topics.properties"), topicNames(prefix));
    String[] withConfig = append(create, "--config", config.toString());
    TopicNames names = TopicNames.defaults().withPrefix(prefix);

    Cli.Run first = Cli.run(withConfig);
    assertEquals(0, first.exit(), first.err());
    assertEquals(5, first.out().lines().filter(l -> l.startsWith("created")).count(), first.out());
    try (Admin admin = admin()) {
      assertEquals(
          2,
          admin
              .describeTopics(List.of(names.calls()))
              .allTopicNames()
              .get()
              .get(names.calls())
              .partitions()
              .size());
      Config calls = configOf(admin, names.calls());
      assertEquals(TopicPlan.INPUT_RETENTION_MS, calls.get("retention.ms").value());
      assertEquals("CreateTime", calls.get("message.timestamp.type").value());
      assertEquals(
          TopicPlan.OUTPUT_RETENTION_MS,
          configOf(admin, names.alerts()).get("retention.ms").value());
    }

    Cli.Run again = Cli.run(withConfig);
    assertEquals(0, again.exit(), again.err());
    assertEquals(5, again.out().lines().filter(l -> l.startsWith("exists")).count(), again.out());

    try (Admin admin = admin()) {
      ConfigResource calls = new ConfigResource(ConfigResource.Type.TOPIC, names.calls());
      admin
          .incrementalAlterConfigs(
              Map.of(
                  calls,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET))))
          .all()
          .get();
      admin.deleteTopics(List.of(names.dlq())).all().get();
      awaitGone(admin, names.dlq());
      admin.createTopics(List.of(new NewTopic(names.dlq(), 1, (short) 1))).all().get();
    }
    Cli.Run drifted = Cli.run(withConfig);
    assertEquals(1, drifted.exit(), drifted.out() + drifted.err());
    assertTrue(
        drifted.out().contains("updated  " + names.calls() + " [retention.ms="), drifted.out());
    assertTrue(
        drifted.out().contains("MISMATCH " + names.dlq() + " has 1 partitions"), drifted.out());
    try (Admin admin = admin()) {
      assertEquals(
          TopicPlan.INPUT_RETENTION_MS, configOf(admin, names.calls()).get("retention.ms").value());
    }
  }

  @Test
  void shouldRefuseTopicsCreateWithoutAnExternalCluster() {
    Cli.Run r = Cli.run("topics", "create");
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("error: "), r.err());
  }

  @Test
  void shouldResetOffsetsInternalTopicsAndLocalStateOnlyAfterConfirmation() throws Exception {
    String prefix = "rs.";
    Path config = Files.writeString(tmp.resolve("topics.properties"), topicNames(prefix));
    TopicNames names = TopicNames.defaults().withPrefix(prefix);
    String app = "reset-it";
    String changelog = app + "-some-store-changelog";
    TopicPartition calls0 = new TopicPartition(names.calls(), 0);
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(names.calls(), 1, (short) 1),
                  new NewTopic(names.sms(), 1, (short) 1),
                  new NewTopic(names.lender(), 1, (short) 1),
                  new NewTopic(changelog, 1, (short) 1)))
          .all()
          .get();
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        p.send(new ProducerRecord<>(names.calls(), "k", "a")).get();
        p.send(new ProducerRecord<>(names.calls(), "k", "b")).get();
      }
      admin.alterConsumerGroupOffsets(app, Map.of(calls0, new OffsetAndMetadata(2))).all().get();
    }
    Path state = tmp.resolve("state");
    Files.createDirectories(state.resolve(app).resolve("0_0"));
    String[] reset = {
      "reset",
      "--application-id",
      app,
      "--state-dir",
      state.toString(),
      "--bootstrap-servers",
      kafka.bootstrapServers(),
      "--config",
      config.toString()
    };

    Cli.Run refused = Cli.runWithInput("dunwatch\n", reset);
    assertEquals(2, refused.exit(), refused.err());
    assertTrue(refused.err().contains("not confirmed"), refused.err());
    try (Admin admin = admin()) {
      assertTrue(admin.listTopics().names().get().contains(changelog));
      assertEquals(2, committed(admin, app, calls0));
    }
    assertTrue(Files.isDirectory(state.resolve(app)));

    Cli.Run done = Cli.runWithInput(app + "\n", reset);
    assertEquals(0, done.exit(), done.out() + done.err());
    try (Admin admin = admin()) {
      awaitGone(admin, changelog);
      assertEquals(0, committed(admin, app, calls0));
    }
    assertFalse(Files.exists(state.resolve(app)), "local state deleted");
    assertTrue(done.out().contains("deleted local state"), done.out());
  }

  private static String topicNames(String prefix) {
    TopicNames n = TopicNames.defaults().withPrefix(prefix);
    return String.join(
        "\n",
        "topic.calls=" + n.calls(),
        "topic.sms=" + n.sms(),
        "topic.lender=" + n.lender(),
        "topic.alerts=" + n.alerts(),
        "topic.dlq=" + n.dlq(),
        "");
  }

  private static long committed(Admin admin, String group, TopicPartition tp) throws Exception {
    OffsetAndMetadata o =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
    return o == null ? -1 : o.offset();
  }

  private static Config configOf(Admin admin, String topic) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
  }

  private static void awaitGone(Admin admin, String topic) throws Exception {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> !admin.listTopics().names().get().contains(topic));
  }

  private static String[] append(String[] a, String... more) {
    String[] all = new String[a.length + more.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(more, 0, all, a.length, more.length);
    return all;
  }
}
