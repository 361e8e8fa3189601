package org.dunwatch.streams;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.dunwatch.streams.policy.PolicyDetector;
import org.dunwatch.streams.state.BoundedRocksDb;

/**
 * Kafka Streams settings for dunwatch, with the choices that matter written down. Anything here can
 * be overridden by {@code KAFKA_*}-derived or file properties passed as {@code overrides}.
 */
public final class StreamsSettings {

  public static final String DEFAULT_APPLICATION_ID = "dunwatch";

  /** Producer batch size under exactly-once: one batch per partition per commit interval. */
  static final int EOS_BATCH_BYTES = 256 * 1024;

  /** How much longer than {@link #HOLD_COMMITS} commit intervals a policy contact is held. */
  static final long HOLD_BEYOND_COMMITS_MS = 100;

  /** Commit intervals the policy detectors hold a contact on the wall clock, plus 100 ms. */
  static final long HOLD_COMMITS = 2;

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
    // No waiting for a partition that has nothing more on the broker (Kafka's own default: data
    // known to be on the broker is still taken in timestamp order). Task idling used to order the
    // repartition topics the app feeds itself (lender facts, the callers' side of calls) against
    // the calls beside them, one commit interval and 100 ms; it held every task in step with the
    // commits: 2,772 against 4,851 records/s exactly-once, and p50 3.0 s against 2.1 s at half load
    // (bench, 10,000 subscribers, same round; README, Performance, 2026-12-06). What it ordered is
    // now kept in order otherwise: eval and replay produce a backlog in slices of event time (a
    // live network does that by itself), and the policy detectors hold each contact on the wall
    // clock too (below). Same scenarios found on the CI and 7-day eval worlds.
    p.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
    // The policy detectors hold each contact this long on the wall clock as well as their join
    // window in stream time: a lender fact written just before a call (the day's delinquency, a
    // cease request) reaches them through a repartition topic, readable only after the writing
    // task's next commit, and at replay speed a commit interval is hours of stream time.
    p.putIfAbsent(PolicyDetector.HOLD_CONFIG, HOLD_COMMITS * commitMs + HOLD_BEYOND_COMMITS_MS);
    PolicyDetector.holdMs(p.get(PolicyDetector.HOLD_CONFIG));
    return p;
  }

  /** {@code commit.interval.ms} of {@code p}, as a number; a clear error when it is not one. */
  public static long commitIntervalMs(Properties p) {
    Object v = p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          StreamsConfig.COMMIT_INTERVAL_MS_CONFIG + " must be milliseconds, got '" + v + "'", e);
    }
  }
}
