package org.dunwatch.streams;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.dunwatch.streams.state.BoundedRocksDb;

/**
 * Kafka Streams settings for dunwatch, with the choices that matter written down. Anything here can
 * be overridden by {@code KAFKA_*}-derived or file properties passed as {@code overrides}.
 */
public final class StreamsSettings {

  public static final String DEFAULT_APPLICATION_ID = "dunwatch";

  /** Producer batch size under exactly-once: one batch per partition per commit interval. */
  static final int EOS_BATCH_BYTES = 256 * 1024;

  /** How much longer than a commit interval a task waits for an empty partition. */
  static final long IDLE_BEYOND_COMMIT_MS = 100;

  private StreamsSettings() {}

  public static Properties create(
      String applicationId,
      String bootstrapServers,
      Path stateDir,
      boolean exactlyOnce,
      Map<String, String> overrides) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // Alerts drive enforcement: a duplicate or lost alert after a crash is worse than the cost
    // of transactions, so exactly-once is the default.
    p.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        exactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
    // Alerts should leave within a second of the record that caused them.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 32L * 1024 * 1024);
    // a dozen RocksDB stores per task: one shared, bounded block cache and memtable budget instead
    // of 50 MB of cache and up to 48 MB of memtables for each (BoundedRocksDb)
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    p.putAll(overrides);
    long commitMs = commitIntervalMs(p);
    // Under exactly-once nothing this app writes is readable before the commit, and the producer
    // is flushed at every commit: lingering until then costs no latency. It makes one batch per
    // partition per commit instead of many small ones: a topology writes to dozens of changelog
    // and repartition partitions, and setting up lz4 for each small batch was a fifth of the
    // stream thread's time (JFR). Bench, 10,000 subscribers, two runs each: exactly-once 2,038 and
    // 2,164 records/s with 5 ms, 2,907 and 2,816 with this (README, Performance).
    String linger = StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);
    if (exactlyOnce && !overrides.containsKey(linger)) {
      p.put(linger, commitMs);
      p.putIfAbsent(
          StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), EOS_BATCH_BYTES);
    }
    // Lender facts and the callers' side of calls reach the detectors through repartition topics,
    // a commit later than the calls they must be joined with. Without waiting, a task would judge
    // a call before the loan or registration written just before it, and replayed days (hours
    // of event time per commit interval) would miss most policy and fan-out violations. A task
    // with an empty partition waits this long for it, so records are taken in timestamp order:
    // one commit interval and 100 ms. Not more: the wait starts again every time a sparse
    // partition drains (each lender fact), and at 1 s it was what bounded throughput and
    // latency (README, Performance: p99 11.7 s at 1 s, 3.7 s at 300 ms, the same alerts found).
    // Shorter than a commit interval is faster still (100 ms: p50 1 s instead of 3-4 s at half
    // load; the partitions the app feeds itself refill only at a commit, and a longer wait keeps
    // the tasks in step with the commits), but then a task goes on without what its own last
    // commit wrote: the CI eval world missed a fan-out in one of seven runs. For a live service
    // that wants the latency, KAFKA_MAX_TASK_IDLE_MS=100 (README, Performance, 2026-12-03).
    if (!p.containsKey(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)) {
      p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, commitMs + IDLE_BEYOND_COMMIT_MS);
    }
    return p;
  }

  private static long commitIntervalMs(Properties p) {
    Object v = p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          StreamsConfig.COMMIT_INTERVAL_MS_CONFIG + " must be milliseconds, got '" + v + "'", e);
    }
  }
}
