package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.dunwatch.deploy.ApicurioRegistry;
import org.dunwatch.deploy.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No raw number anywhere: a replay with pseudonymisation on, of calls, of messages whose bodies
 * write numbers in every common form, and of a bad line with a number in the wrong column; then
 * every topic on the broker (inputs, alerts, dead letters, the app's changelogs and repartition
 * topics), the broker's log, the command's output, the alerts, dead-letter and rejects files are
 * searched for every input number in every written form. Zero hits.
 */
class PrivacyScanIT {

  private static KafkaBroker kafka;
  private static ApicurioRegistry registry;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    registry = ApicurioRegistry.builder().start();
    kafka = KafkaBroker.builder().start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /** Every form a CN number is commonly written in, as national digits and with separators. */
  static List<String> forms(String e164) {
    String national = e164.substring(3);
    List<String> out = new ArrayList<>(List.of(national));
    if (national.length() == 11) {
      out.add(
          national.substring(0, 3) + " " + national.substring(3, 7) + " " + national.substring(7));
      out.add(
          national.substring(0, 3) + "-" + national.substring(3, 7) + "-" + national.substring(7));
    } else {
      // a Guangzhou landline: 20 8765 4321
      out.add(national.substring(2));
      out.add(national.substring(2, 6) + " " + national.substring(6));
    }
    return out;
  }

  @Test
  void shouldLeaveNoInputNumberInAnyTopicLogOrOutputInAnyWrittenForm() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path config =
        Files.writeString(
            tmp.resolve("dunwatch.properties"),
            String.join(
                "\n",
                "topic.calls=scan-calls-" + run,
                "topic.sms=scan-sms-" + run,
                "topic.lender=scan-lender-" + run,
                "topic.alerts=scan-alerts-" + run,
                "topic.dlq=scan-dlq-" + run,
                ""));
    Path calls = Files.copy(ReplayIT.SEED, tmp.resolve("calls.csv"));
    Files.writeString(
        calls,
        "x1,CM,+8617042541057,+8618812345678,+8613800000001,3,0,NO_ANSWER\n",
        java.nio.file.StandardOpenOption.APPEND);
    Path sms =
        Files.writeString(
            tmp.resolve("sms.csv"),
            "message_id,carrier,sender,recipient,sent_time,category,body\n"
                + "m1,CM,+8617042541057,+8618812345678,2024-07-26T10:00:00+08:00,PERSONAL,"
                + "\"再不还钱就把你欠钱的事发到朋友圈，让13953440914他们都知道你是老赖\"\n"
                + "m2,CM,+8617042541057,+8618812345678,2024-07-26T10:05:00+08:00,PERSONAL,"
                + "\"打+86 188 1234 5678或008618812345678或020 8765 4321，不还钱就曝光你\"\n");
    Set<String> numbers =
        new LinkedHashSet<>(
            List.of("+8618812345678", "+8613953440914", "+862087654321", "+8613800000001"));
    for (String line : Files.readAllLines(ReplayIT.SEED).subList(1, 40)) {
      String[] f = line.split(",");
      numbers.add(f[2]);
      numbers.add(f[3]);
    }
    Path alertsOut = tmp.resolve("out/alerts.jsonl");
    Path keyFile = Files.writeString(tmp.resolve("key"), "privacy-scan-key-0123456789abcdef\n");

    Cli.Run replay =
        Cli.run(
            "replay",
            "--calls",
            calls.toString(),
            "--sms",
            sms.toString(),
            "--default-region",
            "CN",
            "--pseudonym-key-file",
            keyFile.toString(),
            "--alerts-out",
            alertsOut.toString(),
            "--config",
            config.toString(),
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--schema-registry-url",
            registry.ccompatUrl());

    assertEquals(0, replay.exit(), replay.err());
    String alerts = Files.readString(alertsOut);
    assertTrue(alerts.contains("THREAT_OR_ABUSE"), "content detection still works: " + alerts);

    List<String> places = new ArrayList<>();
    places.add("stdout\n" + replay.out());
    places.add("stderr\n" + replay.err());
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (f.equals(calls) || f.equals(sms) || f.equals(keyFile)) {
          continue;
        }
        places.add(f + "\n" + Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    places.add("broker log\n" + Files.readString(kafka.logFile(), StandardCharsets.ISO_8859_1));
    int records = readEveryTopic(places);
    assertTrue(records > 260, "read " + records + " records");

    List<String> hits = new ArrayList<>();
    for (String number : numbers) {
      for (String form : forms(number)) {
        for (String place : places) {
          if (place.contains(form)) {
            int at = place.indexOf(form);
            hits.add(
                form
                    + " in "
                    + place.substring(0, place.indexOf('\n'))
                    + ": ..."
                    + place.substring(Math.max(0, at - 60), Math.min(place.length(), at + 40)));
          }
        }
      }
    }
    assertEquals(List.of(), hits);
  }

  /** Every record of every topic on the broker, key, value and headers, as text. */
  private static int readEveryTopic(List<String> places) throws Exception {
    Map<String, Object> p =
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    Set<String> topics;
    try (Admin admin = Admin.create(p)) {
      topics = admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get();
    }
    int n = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : topics) {
        consumer.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          StringBuilder s = new StringBuilder("topic " + r.topic() + "\n");
          if (r.key() != null) {
            s.append(new String(r.key(), StandardCharsets.UTF_8));
          }
          if (r.value() != null) {
            s.append(new String(r.value(), StandardCharsets.UTF_8));
          }
          for (Header h : r.headers()) {
            s.append(h.key()).append(new String(h.value(), StandardCharsets.UTF_8));
          }
          places.add(s.toString());
          n++;
        }
      }
    }
    return n;
  }
}
