package org.dunwatch.streams.feeds;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.streams.state.AvroStateSerde;

/** The feeds' stores: RocksDB, string keys, Avro values, cached (one write per commit per key). */
final class FeedStores {

  private FeedStores() {}

  static <V extends SpecificRecord> StoreBuilder<KeyValueStore<String, V>> keyValue(
      String name, Class<V> type) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), AvroStateSerde.of(type))
        .withCachingEnabled();
  }
}
