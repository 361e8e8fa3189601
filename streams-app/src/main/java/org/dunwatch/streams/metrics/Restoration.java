package org.dunwatch.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * What is left to restore of each state store from its changelog: meters for the dashboard, and the
 * reason {@code /health/ready} gives while the application is not ready.
 */
public final class Restoration implements StateRestoreListener {

  private record Partition(String store, TopicPartition changelog) {}

  private final Map<Partition, Long> remaining = new ConcurrentHashMap<>();
  private final Map<Partition, Long> ends = new ConcurrentHashMap<>();
  private final Map<String, Counter> restored = new ConcurrentHashMap<>();

  /** Registers a remaining-records gauge and a restored-records counter for each store. */
  void meter(
      MeterRegistry registry, String remainingName, String restoredName, Set<String> stores) {
    for (String store : stores) {
      Gauge.builder(remainingName, this, r -> r.inProgress().getOrDefault(store, 0L))
          .tag("store", store)
          .description("Changelog records still to restore into a state store")
          .register(registry);
      restored.put(
          store,
          Counter.builder(restoredName)
              .tag("store", store)
              .description("Records restored into a state store from its changelog")
              .register(registry));
    }
  }

  @Override
  public void onRestoreStart(
      TopicPartition partition, String store, long startingOffset, long endingOffset) {
    Partition p = new Partition(store, partition);
    ends.put(p, endingOffset);
    remaining.put(p, Math.max(0, endingOffset - startingOffset));
  }

  @Override
  public void onBatchRestored(
      TopicPartition partition, String store, long batchEndOffset, long numRestored) {
    Partition p = new Partition(store, partition);
    Long end = ends.get(p);
    if (end != null) {
      remaining.put(p, Math.max(0, end - batchEndOffset - 1));
    }
    Counter c = restored.get(store);
    if (c != null) {
      c.increment(numRestored);
    }
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    Partition p = new Partition(store, partition);
    remaining.remove(p);
    ends.remove(p);
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
    onRestoreEnd(partition, store, totalRestored);
  }

  /** Records left to restore per store being restored; empty when nothing is being restored. */
  public Map<String, Long> inProgress() {
    Map<String, Long> byStore = new TreeMap<>();
    remaining.forEach((p, n) -> byStore.merge(p.store(), n, Long::sum));
    return byStore;
  }
}
