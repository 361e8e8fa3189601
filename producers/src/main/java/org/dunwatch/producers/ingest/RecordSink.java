package org.dunwatch.producers.ingest;

import java.time.Instant;

/**
 * Where ingested records go: a Kafka topic ({@link org.dunwatch.producers.kafka.EventProducer}), or
 * anything else that takes a key, a value and its event time (an in-memory list in tests, a counter
 * for a dry run).
 */
public interface RecordSink<K, V> {

  /** Hands one record over; may be asynchronous, failures surfacing here later or in flush. */
  void send(K key, V value, Instant eventTime);

  /** Waits until everything sent so far is stored, or throws the first failure. */
  default void flush() {}
}
