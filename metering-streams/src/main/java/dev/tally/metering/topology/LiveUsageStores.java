package dev.tally.metering.topology;

import dev.tally.schemas.avro.Aggregation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** Reads the live minute and hour stores; the query API's only view of their layout. */
public final class LiveUsageStores {

    /** Above every character an identifier can hold: the end of a key-prefix range. */
    private static final char PREFIX_END = '\uffff';

    /** Customer, then feature, then time, then aggregation (a meter changed mid-window). */
    public static final Comparator<UsageCell> ORDER = Comparator.comparing(UsageCell::customerId)
            .thenComparing(UsageCell::feature)
            .thenComparingLong(UsageCell::windowStart)
            .thenComparing(UsageCell::aggregation);

    private LiveUsageStores() {}

    /**
     * A live store to read: the minute or the hour headers ({@code windows}), the entries store, and
     * whether UNIQUE_COUNT cells need their distinct values (to be rolled up into longer periods).
     */
    public record Source(
            ReadOnlyWindowStore<String, byte[]> windows,
            ReadOnlyKeyValueStore<Bytes, byte[]> entries,
            boolean hours,
            boolean withDistinctValues) {}

    /**
     * One customer's usage in windows starting in {@code [fromMillis, toMillis)}, of one feature or,
     * when {@code feature} is null, of all of them; ordered by feature then time.
     */
    public static List<UsageCell> read(
            Source store,
            String organizationId,
            boolean livemode,
            String customerId,
            String feature,
            long fromMillis,
            long toMillis) {
        if (toMillis <= fromMillis) {
            return new ArrayList<>();
        }
        String prefix = feature != null
                ? LiveKey.prefix(new Series(organizationId, livemode, customerId, feature))
                : new Series(organizationId, livemode, customerId, "").encode();
        return readPrefix(store, prefix, null, fromMillis, toMillis);
    }

    /**
     * Every customer's usage of one organization and mode held by {@code store} (one feature, or
     * all when {@code feature} is null), in windows starting in {@code [fromMillis, toMillis)};
     * ordered by customer, feature, then time.
     */
    public static List<UsageCell> readOrganization(
            Source store, String organizationId, boolean livemode, String feature, long fromMillis, long toMillis) {
        if (toMillis <= fromMillis) {
            return new ArrayList<>();
        }
        String prefix = new Series(organizationId, livemode, "", "").encode();
        // the series text ends "|<customer>|<feature>": cut the last separator off the prefix
        return readPrefix(store, prefix.substring(0, prefix.length() - 1), feature, fromMillis, toMillis);
    }

    private static List<UsageCell> readPrefix(
            Source store, String prefix, String feature, long fromMillis, long toMillis) {
        List<UsageCell> cells = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, byte[]> windows = store.windows()
                .fetch(
                        prefix,
                        prefix + PREFIX_END,
                        Instant.ofEpochMilli(fromMillis),
                        Instant.ofEpochMilli(toMillis - 1))) {
            while (windows.hasNext()) {
                KeyValue<Windowed<String>, byte[]> entry = windows.next();
                String key = entry.key.key();
                if (!key.startsWith(prefix)) {
                    continue;
                }
                LiveKey live = LiveKey.parse(key);
                Series series = live.series();
                if (feature == null || feature.equals(series.feature())) {
                    cells.add(cell(
                            store,
                            series,
                            entry.key.window().start(),
                            entry.key.window().end(),
                            entry.value));
                }
            }
        }
        cells.sort(ORDER);
        return cells;
    }

    private static UsageCell cell(Source store, Series series, long start, long end, byte[] bytes) {
        WindowState state = StateCodec.decodeState(bytes);
        List<String> values = store.withDistinctValues() && state.aggregation() == Aggregation.UNIQUE_COUNT
                ? WindowEntries.distinctValues(
                        store.entries(),
                        store.hours() ? WindowEntries.Scope.LIVE_HOUR : WindowEntries.Scope.LIVE_MINUTE,
                        start,
                        series,
                        state.aggregation())
                : List.of();
        return new UsageCell(
                series.customerId(),
                series.feature(),
                state.aggregation(),
                start,
                end,
                state.quantity(),
                state.eventCount(),
                state.latestAt(),
                values);
    }
}
