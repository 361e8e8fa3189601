package org.dunwatch.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.dunwatch.avro.dlq.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw input bytes into typed records. Whatever cannot be used goes on as a dead letter with
 * its origin and the reason, never dropped: undecodable bytes, a key that is not the one the
 * topic's contract requires, records whose event time is implausible ({@link TimeBounds}, {@code
 * stage=timestamp}), and records later than the grace period (which are also counted in the {@code
 * late-records} metric).
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

  private ProcessorContext<String, Decoded<V>> context;
  private Sensor lateSensor;
  private Sensor deadSensor;
  private long maxEventTime = Long.MIN_VALUE;

  DecodeProcessor(
      String topic,
      Deserializer<V> deserializer,
      Function<V, String> keyOf,
      Function<V, Instant> eventTimeOf,
      String keyMeaning,
      Duration grace,
      TimeBounds bounds,
      boolean judgeStreamTime) {
    this.topic = topic;
    this.deserializer = deserializer;
    this.keyOf = keyOf;
    this.eventTimeOf = eventTimeOf;
    this.keyMeaning = keyMeaning;
    this.graceMs = grace.toMillis();
    this.bounds = bounds;
    this.judgeStreamTime = judgeStreamTime;
  }

  @Override
  public void init(ProcessorContext<String, Decoded<V>> context) {
    this.context = context;
    this.lateSensor =
        context
            .metrics()
            .addRateTotalSensor(METRIC_SCOPE, topic, "late-records", Sensor.RecordingLevel.INFO);
    this.deadSensor =
        context
            .metrics()
            .addRateTotalSensor(METRIC_SCOPE, topic, "dead-letters", Sensor.RecordingLevel.INFO);
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
    maxEventTime = Math.max(maxEventTime, eventTime);
    context.forward(record.withKey(key).withValue(Decoded.ok(value)).withTimestamp(eventTime));
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
