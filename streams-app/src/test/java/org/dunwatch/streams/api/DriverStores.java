package org.dunwatch.streams.api;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The stores of a {@link TopologyTestDriver} as one instance holding every key. */
final class DriverStores implements InstanceStores {

  private final TopologyTestDriver driver;

  DriverStores(TopologyTestDriver driver) {
    this.driver = driver;
  }

  @Override
  public <V> ReadOnlyKeyValueStore<String, V> local(String store) {
    return driver.getKeyValueStore(store);
  }

  @Override
  public Optional<HostInfo> ownerOf(
      String store, String key, StreamPartitioner<String, ?> partitioner) {
    return Optional.empty();
  }

  @Override
  public List<HostInfo> others(String store) {
    return List.of();
  }
}
