package org.dunwatch.streams.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * One block cache and one write-buffer budget shared by every RocksDB store of the process.
 *
 * <p>The topology has a dozen persistent stores per task; with Kafka Streams' defaults each one
 * gets its own 50 MB block cache and up to three 16 MB memtables, so off-heap memory grows with
 * stores × partitions rather than with the state kept. Here all of them share {@link #CACHE_BYTES}
 * (index and filter blocks included, so they are bounded too) of which memtables may take {@link
 * #WRITE_BUFFER_BYTES}; memtables are 8 MB each.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

  public static final long CACHE_BYTES = 256L * 1024 * 1024;

  /**
   * Room for a dozen stores on several partitions to fill their memtables before RocksDB must flush
   * one as it writes: at 48 MB writes waited for flushes inside the commit, and exactly-once ran at
   * a third of the rate it runs at with this (README, Performance, 2026-12-06).
   */
  public static final long WRITE_BUFFER_BYTES = 128L * 1024 * 1024;

  private static final long MEMTABLE_BYTES = 8L * 1024 * 1024;

  // shared by every store instance of the process: that is the point
  private static final Cache CACHE = new LRUCache(CACHE_BYTES, -1, false, 0.1);
  private static final WriteBufferManager WRITE_BUFFERS =
      new WriteBufferManager(WRITE_BUFFER_BYTES, CACHE);

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(CACHE);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(WRITE_BUFFERS);
    options.setWriteBufferSize(MEMTABLE_BYTES);
    options.setMaxWriteBufferNumber(2);
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // the cache and the write-buffer manager are shared: never closed per store
  }
}
