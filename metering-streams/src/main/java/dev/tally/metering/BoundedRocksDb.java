package dev.tally.metering;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of this JVM: one LRU block cache holds data,
 * indexes and filters, and the memtables are charged to it, so the total stays near
 * {@code tally.metering.rocksdb-memory-bytes} whatever the number of stores and partitions. Without
 * it each store's defaults add up with every partition an instance gains.
 *
 * <p>Kafka Streams creates one setter per store, so the cache is necessarily shared through static
 * state (the pattern Kafka documents); it is created once, on first use, and lives with the JVM.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    /** Property with the byte budget, a {@code Long}. */
    public static final String MEMORY_CONFIG = "tally.metering.rocksdb-memory-bytes";

    /** A quarter of the budget for memtables, the rest for reads. */
    private static final double MEMTABLE_SHARE = 0.25;
    /** Index and filter blocks go to the high-priority part of the cache and stay there. */
    private static final double HIGH_PRIORITY_SHARE = 0.1;

    private static Shared shared;

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {}

    private static synchronized Shared shared(long bytes) {
        if (shared == null) {
            Cache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE);
            shared = new Shared(cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache));
        }
        return shared;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object budget = configs.get(MEMORY_CONFIG);
        if (!(budget instanceof Long bytes)) {
            throw new IllegalStateException(MEMORY_CONFIG + " must hold a Long, was " + budget);
        }
        Shared memory = shared(bytes);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(memory.writeBuffers());
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write-buffer manager are shared by every store: never closed with one of them
    }
}
