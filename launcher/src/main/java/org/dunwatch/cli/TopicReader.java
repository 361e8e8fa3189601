package org.dunwatch.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.dunwatch.schemas.Topic;

/** Reads a bounded range of a topic (committed records only): from given offsets to given ends. */
final class TopicReader {

  private TopicReader() {}

  static <K, V> long readRange(
      Cluster cluster,
      Topic<K, V> topic,
      Map<TopicPartition, Long> from,
      Map<TopicPartition, Long> to,
      BiConsumer<ConsumerRecord<K, V>, V> sink) {
    Map<String, Object> p = new HashMap<>(cluster.clientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long count = 0;
    try (KafkaConsumer<K, V> consumer =
        new KafkaConsumer<>(
            p, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> parts = List.copyOf(to.keySet());
      consumer.assign(parts);
      Map<TopicPartition, Long> pending = new HashMap<>();
      for (TopicPartition tp : parts) {
        long start = from.getOrDefault(tp, 0L);
        consumer.seek(tp, start);
        if (to.get(tp) > start) {
          pending.put(tp, to.get(tp));
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!pending.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new UserError("timed out reading " + topic.name() + " up to its end offsets");
        }
        for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(500))) {
          Long end = to.get(new TopicPartition(r.topic(), r.partition()));
          if (end != null && r.offset() < end) {
            sink.accept(r, r.value());
            count++;
          }
        }
        pending.keySet().removeIf(tp -> consumer.position(tp) >= pending.get(tp));
      }
    }
    return count;
  }
}
