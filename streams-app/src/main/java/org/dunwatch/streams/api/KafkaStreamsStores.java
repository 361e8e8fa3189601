package org.dunwatch.streams.api;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries on a running {@link KafkaStreams}: {@code self} is this instance's {@code
 * application.server}, which every instance advertises so that the others can forward to it.
 */
public final class KafkaStreamsStores implements InstanceStores {

  private final KafkaStreams streams;
  private final HostInfo self;

  public KafkaStreamsStores(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  @Override
  public <V> ReadOnlyKeyValueStore<String, V> local(String store) {
    try {
      return streams.store(
          StoreQueryParameters.fromNameAndType(
              store, QueryableStoreTypes.<String, V>keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw ApiError.unavailable(
          "the app's state is not queryable right now (starting or rebalancing); try again");
    }
  }

  @Override
  public Optional<HostInfo> ownerOf(
      String store, String key, StreamPartitioner<String, ?> partitioner) {
    KeyQueryMetadata m =
        partitioner == null
            ? streams.queryMetadataForKey(store, key, Serdes.String().serializer())
            : streams.queryMetadataForKey(store, key, partitioner);
    if (m == null || m.equals(KeyQueryMetadata.NOT_AVAILABLE) || m.activeHost() == null) {
      throw ApiError.unavailable(
          "no instance holds this key right now (starting or rebalancing); try again");
    }
    return m.activeHost().equals(self) ? Optional.empty() : Optional.of(m.activeHost());
  }

  @Override
  public List<HostInfo> others(String store) {
    return streams.streamsMetadataForStore(store).stream()
        .map(StreamsMetadata::hostInfo)
        .filter(h -> !h.equals(self))
        .distinct()
        .toList();
  }
}
