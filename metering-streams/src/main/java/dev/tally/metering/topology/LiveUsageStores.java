package dev.tally.metering.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** Reads the live minute and hour stores; the query API's only view of their layout. */
public final class LiveUsageStores {

    /** Above every character an identifier can hold: the end of a key-prefix range. */
    private static final char PREFIX_END = '\uffff';

    private LiveUsageStores() {}

    /**
     * One customer's usage in windows starting in {@code [fromMillis, toMillis)}, of one feature or,
     * when {@code feature} is null, of all of them; ordered by feature then time.
     */
    public static List<UsageCell> read(ReadOnlyWindowStore<String, byte[]> store, String organizationId,
            boolean livemode, String customerId, String feature, long fromMillis, long toMillis) {
        List<UsageCell> cells = new ArrayList<>();
        if (toMillis <= fromMillis) {
            return cells;
        }
        if (feature != null) {
            String key = new Series(organizationId, livemode, customerId, feature).encode();
            try (WindowStoreIterator<byte[]> windows = store.fetch(key, Instant.ofEpochMilli(fromMillis), Instant.ofEpochMilli(toMillis - 1))) {
                windows.forEachRemaining(entry -> cells.add(cell(feature, entry.value)));
            }
            return cells;
        }
        String prefix = new Series(organizationId, livemode, customerId, "").encode();
        try (KeyValueIterator<Windowed<String>, byte[]> windows =
                store.fetch(prefix, prefix + PREFIX_END,
                        Instant.ofEpochMilli(fromMillis), Instant.ofEpochMilli(toMillis - 1))) {
            while (windows.hasNext()) {
                KeyValue<Windowed<String>, byte[]> entry = windows.next();
                String key = entry.key.key();
                if (key.startsWith(prefix)) {
                    cells.add(cell(Series.parse(key).feature(), entry.value));
                }
            }
        }
        cells.sort((a, b) -> a.feature().equals(b.feature())
                ? Long.compare(a.windowStart(), b.windowStart())
                : a.feature().compareTo(b.feature()));
        return cells;
    }

    private static UsageCell cell(String feature, byte[] bytes) {
        WindowTotal total = WindowTotal.fromBytes(bytes);
        return new UsageCell(feature, total.window().start(), total.window().end(), total.quantity(),
                total.eventCount());
    }
}
