package org.dunwatch.producers.ingest;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * Where ingested records go: a Kafka topic ({@link org.dunwatch.producers.kafka.EventProducer}), or
 * anything else that takes a key, a value and its event time (an in-memory list in tests, a counter
 * for a dry run).
 */
public interface RecordSink<K, V> {

  /** Hands one record over; may be asynchronous, failures surfacing here later or in flush. */
  void send(K key, V value, Instant eventTime);

  /**
   * Hands one record over and reports, by the time {@link #flush()} returns, if this record and
   * only this one could not be stored (the broker refused it, or refused the batch it travelled
   * in); the run goes on with the others. Failures of the sink as a whole (no broker) still surface
   * from {@code send} or {@code flush}. By default a sink has no such per-record failures.
   */
  default void send(K key, V value, Instant eventTime, Consumer<Exception> failed) {
    send(key, value, eventTime);
  }

  /**
   * Whether a record was refused only because a batch-mate was: Kafka's producer fails every record
   * of a batch the broker refused for one record's sake (a plain {@code KafkaException} with this
   * message), and such a record is worth sending again.
   */
  static boolean refusedForABatchMate(Exception e) {
    return e.getClass().getName().equals("org.apache.kafka.common.KafkaException")
        && e.getMessage() != null
        && e.getMessage().contains("part of a batch which had one");
  }

  /** Waits until everything sent so far is stored, or throws the first failure. */
  default void flush() {}
}
