package org.dunwatch.producers.kafka;

import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.dunwatch.producers.ingest.RecordSink;
import org.dunwatch.schemas.Topic;

/**
 * Writes events to one topic: idempotent, {@code acks=all}, lz4, batched. The record timestamp is
 * the event's own time, so the streams app's stream time is event time.
 */
public final class EventProducer<K, V> implements RecordSink<K, V>, AutoCloseable {

  private final Topic<K, V> topic;
  private final KafkaProducer<K, V> producer;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public EventProducer(Topic<K, V> topic, String bootstrapServers, Map<String, String> overrides) {
    this.topic = topic;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Files are replayed in bursts: larger batches and a short linger give throughput without
    // holding a live feed back noticeably.
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "dunwatch-producer-" + topic.name());
    p.putAll(overrides);
    this.producer =
        new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  /** Sends asynchronously; a failure is raised by the next call or by {@link #flush()}. */
  @Override
  public void send(K key, V value, Instant eventTime) {
    Exception earlier = failure.get();
    if (earlier != null) {
      throw new KafkaException(
          "producing to " + topic.name() + " failed: " + earlier.getMessage(), earlier);
    }
    producer.send(
        new ProducerRecord<>(topic.name(), null, eventTime.toEpochMilli(), key, value),
        (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          } else {
            acked.incrementAndGet();
          }
        });
    sent.incrementAndGet();
  }

  /**
   * Sends asynchronously; a record the broker refuses on its own account (a timestamp or size it
   * will not store, bytes it cannot read), or refuses because a batch-mate was refused, is reported
   * to {@code failed} and does not stop the others. Any other failure is raised as by {@link
   * #send(Object, Object, Instant)}.
   */
  @Override
  public void send(K key, V value, Instant eventTime, Consumer<Exception> failed) {
    Exception earlier = failure.get();
    if (earlier != null) {
      throw new KafkaException(
          "producing to " + topic.name() + " failed: " + earlier.getMessage(), earlier);
    }
    try {
      producer.send(
          new ProducerRecord<>(topic.name(), null, eventTime.toEpochMilli(), key, value),
          (metadata, e) -> {
            if (e == null) {
              acked.incrementAndGet();
            } else if (isRecordFailure(e)) {
              failed.accept(e);
            } else {
              failure.compareAndSet(null, e);
            }
          });
    } catch (KafkaException e) {
      if (!isRecordFailure(e)) {
        throw e;
      }
      failed.accept(e);
    }
    sent.incrementAndGet();
  }

  private static boolean isRecordFailure(Exception e) {
    return e instanceof InvalidTimestampException
        || e instanceof InvalidRecordException
        || e instanceof RecordTooLargeException
        || e instanceof RecordBatchTooLargeException
        || e instanceof SerializationException
        || RecordSink.refusedForABatchMate(e);
  }

  /** Waits until every record sent so far is acknowledged, or throws the first failure. */
  @Override
  public void flush() {
    producer.flush();
    Exception e = failure.get();
    if (e != null) {
      throw new KafkaException("producing to " + topic.name() + " failed: " + e.getMessage(), e);
    }
  }

  public long sent() {
    return sent.get();
  }

  public long acknowledged() {
    return acked.get();
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(30));
  }
}
