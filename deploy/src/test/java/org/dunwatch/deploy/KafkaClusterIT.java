package org.dunwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Three real KRaft nodes: replicated topics, and a node killed and brought back. */
class KafkaClusterIT {

  @Test
  void shouldKeepAcceptingWritesWhenTheLeaderIsKilledAndTakeTheNodeBack() throws Exception {
    try (KafkaCluster kafka = KafkaCluster.builder().nodes(3).start();
        Admin admin = kafka.admin()) {
      assertEquals(Set.of(1, 2, 3), nodes(admin));
      admin.createTopics(List.of(new NewTopic("t", 3, (short) -1))).all().get(60, TimeUnit.SECONDS);
      TopicDescription d = describe(admin);
      assertTrue(d.partitions().stream().allMatch(p -> p.replicas().size() == 3), d.toString());
      String minIsr =
          admin
              .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "t")))
              .all()
              .get(30, TimeUnit.SECONDS)
              .values()
              .iterator()
              .next()
              .get("min.insync.replicas")
              .value();
      assertEquals("2", minIsr);

      int leader = d.partitions().get(0).leader().id();
      long pid = kafka.pid(leader);
      kafka.kill(leader);
      assertFalse(kafka.isRunning(leader));
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      send(kafka, "after the kill"); // acks=all: two replicas of three are in sync

      kafka.start(leader);
      assertTrue(kafka.isRunning(leader));
      assertEquals(Set.of(1, 2, 3), nodes(admin));
    }
  }

  private static Set<Integer> nodes(Admin admin) throws Exception {
    return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
        .map(Node::id)
        .collect(Collectors.toSet());
  }

  private static TopicDescription describe(Admin admin) throws Exception {
    return admin.describeTopics(List.of("t")).allTopicNames().get(30, TimeUnit.SECONDS).get("t");
  }

  private static void send(KafkaCluster kafka, String value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("t", 0, "k", value)).get(90, TimeUnit.SECONDS);
    }
  }
}
