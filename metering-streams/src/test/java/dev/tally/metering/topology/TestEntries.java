package dev.tally.metering.topology;

import dev.tally.schemas.avro.Aggregation;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** A window-entries store in memory (Streams' own in-memory store, byte-ordered as RocksDB), for unit tests. */
final class TestEntries {

    private TestEntries() {}

    static WindowEntries store() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(MeteringTopology.WINDOW_ENTRIES_STORE),
                        Serdes.Bytes(),
                        Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        return new WindowEntries(store);
    }

    static WindowEntries.Window window(WindowEntries entries, Aggregation aggregation) {
        return entries.of(WindowEntries.Scope.BILLING_WINDOW, 0, new Series("org_1", true, "cus_1", "f"), aggregation);
    }
}
