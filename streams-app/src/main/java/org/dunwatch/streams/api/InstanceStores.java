package org.dunwatch.streams.api;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The app's state as one instance sees it: its own stores, and which instance holds a key. {@link
 * KafkaStreamsStores} is the real one; tests put a {@code TopologyTestDriver} behind it.
 */
public interface InstanceStores {

  /**
   * This instance's part of {@code store} (all its partitions).
   *
   * @throws ApiError 503 while the store is not queryable here (starting, rebalancing)
   */
  <V> ReadOnlyKeyValueStore<String, V> local(String store);

  /**
   * The instance that holds {@code key} of {@code store}, or empty when it is this one.
   *
   * @param partitioner how the store's input topic is partitioned; null for the default
   * @throws ApiError 503 while no instance is known to hold it (rebalancing)
   */
  Optional<HostInfo> ownerOf(String store, String key, StreamPartitioner<String, ?> partitioner);

  /** The other instances that hold a part of {@code store}. */
  List<HostInfo> others(String store);
}
