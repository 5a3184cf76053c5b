package dev.tally.metering.topology;

import dev.tally.schemas.avro.Aggregation;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The live view: every counted event, on time or late, in its minute and its hour, under the
 * aggregation of the window it was counted in, and taken out again when retracted; so a query sees
 * usage within a commit interval of its arrival and equals what billing gets. Each minute and hour
 * keeps a header in its window store and, like billing windows, its entries in
 * {@link WindowEntries} (the hour's distinct values roll up into days), unbounded.
 */
final class LiveUsage {

    static final long MINUTE = Duration.ofMinutes(1).toMillis();
    static final long HOUR = Duration.ofHours(1).toMillis();

    private final WindowStore<String, byte[]> byMinute;
    private final WindowStore<String, byte[]> byHour;
    private final WindowEntries entries;

    LiveUsage(WindowStore<String, byte[]> byMinute, WindowStore<String, byte[]> byHour, WindowEntries entries) {
        this.byMinute = byMinute;
        this.byHour = byHour;
        this.entries = entries;
    }

    /** Adds a contribution, counted in a billing window of {@code definition}, to its minute and hour. */
    void add(Series series, Definition definition, Contribution contribution) {
        String key = new LiveKey(series, definition.aggregation()).encode();
        add(byMinute, WindowEntries.Scope.LIVE_MINUTE, MINUTE, key, series, definition, contribution);
        add(byHour, WindowEntries.Scope.LIVE_HOUR, HOUR, key, series, definition, contribution);
    }

    /** Takes a retracted contribution out of its minute and hour (those past retention are gone already). */
    void remove(Series series, Aggregation aggregation, Contribution contribution) {
        String key = new LiveKey(series, aggregation).encode();
        remove(byMinute, WindowEntries.Scope.LIVE_MINUTE, MINUTE, key, series, contribution);
        remove(byHour, WindowEntries.Scope.LIVE_HOUR, HOUR, key, series, contribution);
    }

    private void add(
            WindowStore<String, byte[]> store,
            WindowEntries.Scope scope,
            long size,
            String key,
            Series series,
            Definition definition,
            Contribution contribution) {
        long start = Window.containing(contribution.occurredAt(), size).start();
        byte[] stored = store.fetch(key, start);
        WindowState state = stored == null ? new WindowState(definition) : StateCodec.decodeState(stored);
        state.add(contribution, entries.of(scope, start, series, definition.aggregation()));
        store.put(key, StateCodec.encode(state), start);
    }

    private void remove(
            WindowStore<String, byte[]> store,
            WindowEntries.Scope scope,
            long size,
            String key,
            Series series,
            Contribution contribution) {
        long start = Window.containing(contribution.occurredAt(), size).start();
        byte[] stored = store.fetch(key, start);
        if (stored == null) {
            return;
        }
        WindowState state = StateCodec.decodeState(stored);
        if (state.remove(contribution, entries.of(scope, start, series, state.aggregation()))
                .held()) {
            store.put(key, StateCodec.encode(state), start);
        }
    }
}
