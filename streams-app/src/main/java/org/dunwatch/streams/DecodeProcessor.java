package org.dunwatch.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.dlq.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw input bytes into typed records. Whatever cannot be used goes on as a dead letter with
 * its origin and the reason, never dropped: undecodable bytes, a key that is not the one the
 * topic's contract requires, records whose event time is implausible ({@link TimeBounds}, {@code
 * stage=timestamp}), a repeated event id with other content than the first ({@code
 * stage=duplicate}; an exact repeat is processed once and counted in {@code duplicate-records}),
 * and records later than the grace period (which are also counted in the {@code late-records}
 * metric).
 *
 * <p>Decoding here rather than in the source's serde is what lets a bad record become a dead letter
 * inside the topology, with exactly-once, instead of an exception handler's side channel.
 */
final class DecodeProcessor<V> implements Processor<byte[], byte[], String, Decoded<V>> {

  static final String METRIC_SCOPE = "dunwatch";

  private static final Logger LOG = LoggerFactory.getLogger(DecodeProcessor.class);

  private final String topic;
  private final Deserializer<V> deserializer;
  private final Function<V, String> keyOf;
  private final Function<V, Instant> eventTimeOf;
  private final String keyMeaning;
  private final long graceMs;
  private final TimeBounds bounds;
  private final boolean judgeStreamTime;
  private final Function<V, String> idOf;
  private final String dedupStore;
  private final long dedupWindowMs;

  private KeyValueStore<String, byte[]> seen;
  private Sensor duplicateSensor;

  private ProcessorContext<String, Decoded<V>> context;
  private Sensor lateSensor;
  private Sensor deadSensor;
  private final String timeStoreName;

  /**
   * The partition's greatest event time so far, by partition: what lateness is judged against. In a
   * changelogged store because it decides what goes to the dead-letter topic: kept only in memory,
   * a restart or a task moving to another instance would forget it and let records through that the
   * same input without the restart sends to the DLQ.
   */
  private KeyValueStore<Integer, Long> maxTimes;

  private long maxEventTime = Long.MIN_VALUE;

  private int partition = -1;

  /** Suffix of the store of {@link #maxEventTime} after the input's name. */
  static final String TIME_STORE_SUFFIX = "-max-event-time";

  DecodeProcessor(
      String topic,
      Deserializer<V> deserializer,
      Function<V, String> keyOf,
      Function<V, Instant> eventTimeOf,
      String keyMeaning,
      Duration grace,
      TimeBounds bounds,
      boolean judgeStreamTime,
      String timeStoreName,
      Function<V, String> idOf,
      String dedupStore,
      Duration dedupWindow) {
    this.topic = topic;
    this.deserializer = deserializer;
    this.keyOf = keyOf;
    this.eventTimeOf = eventTimeOf;
    this.keyMeaning = keyMeaning;
    this.graceMs = grace.toMillis();
    this.bounds = bounds;
    this.judgeStreamTime = judgeStreamTime;
    this.timeStoreName = timeStoreName;
    this.idOf = idOf;
    this.dedupStore = dedupStore;
    this.dedupWindowMs = dedupWindow.toMillis();
  }

  @Override
  public void init(ProcessorContext<String, Decoded<V>> context) {
    this.context = context;
    this.maxTimes = context.getStateStore(timeStoreName);
    this.maxEventTime = Long.MIN_VALUE;
    this.partition = -1;
    this.lateSensor =
        context
            .metrics()
            .addRateTotalSensor(METRIC_SCOPE, topic, "late-records", Sensor.RecordingLevel.INFO);
    this.deadSensor =
        context
            .metrics()
            .addRateTotalSensor(METRIC_SCOPE, topic, "dead-letters", Sensor.RecordingLevel.INFO);
    this.duplicateSensor =
        context
            .metrics()
            .addRateTotalSensor(
                METRIC_SCOPE, topic, "duplicate-records", Sensor.RecordingLevel.INFO);
    this.seen = context.getStateStore(dedupStore);
    // forget ids older than the window, in stream time, a few times per window
    context.schedule(
        Duration.ofMillis(Math.max(60_000, dedupWindowMs / 4)),
        PunctuationType.STREAM_TIME,
        this::forget);
  }

  private void forget(long streamTime) {
    long before = streamTime - dedupWindowMs;
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> all = seen.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> e = all.next();
        if (ByteBuffer.wrap(e.value).getLong(8) < before) {
          old.add(e.key);
        }
      }
    }
    old.forEach(seen::delete);
  }

  /** 8 bytes of SHA-256 of the record's bytes: the same content gives the same fingerprint. */
  private static long fingerprint(byte[] value) {
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(value)).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    V value;
    try {
      value = deserializer.deserialize(topic, record.value());
    } catch (RuntimeException e) {
      dead(record, "deserialize", e.getMessage(), e.getClass().getName());
      return;
    }
    if (value == null) {
      dead(record, "deserialize", "record has no value", null);
      return;
    }
    String key;
    long eventTime;
    try {
      key = keyOf.apply(value);
      eventTime = eventTimeOf.apply(value).toEpochMilli();
    } catch (RuntimeException e) {
      // Bytes that decode by chance (a fuzzer, a foreign producer) may lack what a key needs.
      dead(record, "deserialize", "no key or event time: " + e, e.getClass().getName());
      return;
    }
    String rawKey = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    if (!Objects.equals(key, rawKey)) {
      // Detectors keep their state per key; a record on another key's partition would be judged
      // without its history, so it is refused rather than silently mis-counted.
      dead(
          record,
          "key",
          "record key must be the "
              + keyMeaning
              + " ("
              + (rawKey == null ? "key is null" : "key differs")
              + ")",
          null);
      return;
    }
    loadMaxEventTime();
    String implausible =
        bounds.judge(
            eventTime,
            maxEventTime == Long.MIN_VALUE ? -1 : maxEventTime,
            // the machine's clock, as the extractor reads it, not a test driver's mock clock: the
            // bound is about what a broker accepts and what has happened yet
            System.currentTimeMillis(),
            judgeStreamTime);
    if (implausible != null) {
      // Judged before it could move stream time: see TimeBounds.
      dead(record, "timestamp", implausible + " (" + Instant.ofEpochMilli(eventTime) + ")", null);
      return;
    }
    if (maxEventTime != Long.MIN_VALUE && eventTime < maxEventTime - graceMs) {
      lateSensor.record();
      dead(
          record,
          "late",
          "event time "
              + Instant.ofEpochMilli(eventTime)
              + " is "
              + Duration.ofMillis(maxEventTime - eventTime)
              + " behind stream time "
              + Instant.ofEpochMilli(maxEventTime)
              + ", past the grace period of "
              + Duration.ofMillis(graceMs),
          null);
      return;
    }
    String id = idOf.apply(value);
    byte[] before = seen.get(id);
    long print = fingerprint(record.value());
    if (before != null) {
      if (ByteBuffer.wrap(before).getLong(0) == print) {
        // a feed's retry: the same record again, processed once and counted
        duplicateSensor.record();
        return;
      }
      dead(
          record,
          "duplicate",
          "event id seen before with different content within "
              + Duration.ofMillis(dedupWindowMs)
              + " (store "
              + dedupStore
              + ")",
          null);
      return;
    }
    seen.put(id, ByteBuffer.allocate(16).putLong(print).putLong(eventTime).array());
    if (eventTime > maxEventTime) {
      maxEventTime = eventTime;
      maxTimes.put(partition, eventTime);
    }
    context.forward(record.withKey(key).withValue(Decoded.ok(value)).withTimestamp(eventTime));
  }

  /** Reads the partition's greatest event time from its store, once per task. */
  private void loadMaxEventTime() {
    if (partition >= 0) {
      return;
    }
    partition = context.recordMetadata().map(RecordMetadata::partition).orElse(0);
    Long stored = maxTimes.get(partition);
    maxEventTime = stored == null ? Long.MIN_VALUE : stored;
  }

  private void dead(Record<byte[], byte[]> record, String stage, String reason, String errorClass) {
    deadSensor.record();
    RecordMetadata origin = context.recordMetadata().orElse(null);
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setOriginTopic(origin == null ? topic : origin.topic())
            .setOriginPartition(origin == null ? -1 : origin.partition())
            .setOriginOffset(origin == null ? -1L : origin.offset())
            .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
            .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
            .setError(reason == null ? "unknown error" : reason)
            .setErrorClass(errorClass)
            .setStage(stage)
            .setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
            .build();
    // origin only: the raw key may be a phone number from a misconfigured producer
    LOG.debug(
        "dead letter from {}-{}@{}: {}",
        letter.getOriginTopic(),
        letter.getOriginPartition(),
        letter.getOriginOffset(),
        stage);
    context.forward(record.withKey((String) null).withValue(Decoded.dead(record.key(), letter)));
  }
}
