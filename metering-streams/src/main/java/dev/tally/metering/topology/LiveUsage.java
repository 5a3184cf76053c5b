package dev.tally.metering.topology;

import dev.tally.schemas.avro.Aggregation;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The live view: every counted event, on time or late, in its minute and its hour, under the
 * aggregation of the window it was counted in, and taken out again when retracted; so a query sees
 * usage within a commit interval of its arrival and equals what billing gets. Windows keep what
 * their aggregation needs to stay exact (the hour's distinct values roll up into days), bounded
 * like billing windows.
 */
final class LiveUsage {

    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final WindowStore<String, byte[]> byMinute;
    private final WindowStore<String, byte[]> byHour;
    private final int maxEntries;
    /**
     * With hour-long billing windows the live hour holds exactly the billing window's state (same
     * events, same definition, same bound): it is written from that state instead of being read
     * and updated a second time.
     */
    private final boolean hourIsBillingWindow;

    /** A checked addition to a minute and an hour, written by {@link #apply}. */
    final class Addition {
        private final String key;
        private final long minute;
        private final WindowState minuteState;
        private final long hour;
        private final WindowState hourState;

        private Addition(String key, long minute, WindowState minuteState, long hour, WindowState hourState) {
            this.key = key;
            this.minute = minute;
            this.minuteState = minuteState;
            this.hour = hour;
            this.hourState = hourState;
        }

        /** Writes the minute and the hour; {@code billingState} is the billing window's state, encoded. */
        void apply(byte[] billingState) {
            byMinute.put(key, StateCodec.encode(minuteState), minute);
            byHour.put(key, hourIsBillingWindow ? billingState : StateCodec.encode(hourState), hour);
        }
    }

    LiveUsage(
            WindowStore<String, byte[]> byMinute,
            WindowStore<String, byte[]> byHour,
            int maxEntries,
            long billingWindowMillis) {
        this.byMinute = byMinute;
        this.byHour = byHour;
        this.maxEntries = maxEntries;
        this.hourIsBillingWindow = billingWindowMillis == HOUR;
    }

    /**
     * Prepares adding a contribution, already added to {@code billingState}, writing nothing yet.
     *
     * @throws Rejection {@code distinct_limit_exceeded} when the minute or the hour is full
     */
    Addition prepare(Series series, WindowState billingState, Contribution contribution) {
        Definition definition = billingState.definition();
        String key = new LiveKey(series, definition.aggregation()).encode();
        long minute = Window.containing(contribution.occurredAt(), MINUTE).start();
        long hour = Window.containing(contribution.occurredAt(), HOUR).start();
        WindowState minuteState = load(byMinute, key, minute, definition);
        minuteState.add(contribution, maxEntries);
        WindowState hourState = null;
        if (!hourIsBillingWindow) {
            hourState = load(byHour, key, hour, definition);
            hourState.add(contribution, maxEntries);
        }
        return new Addition(key, minute, minuteState, hour, hourState);
    }

    /**
     * Takes a retracted contribution, already taken out of {@code billingState}, out of its minute
     * and hour (those past retention are gone already).
     */
    void remove(Series series, Aggregation aggregation, Contribution contribution, WindowState billingState) {
        String key = new LiveKey(series, aggregation).encode();
        remove(
                byMinute,
                key,
                Window.containing(contribution.occurredAt(), MINUTE).start(),
                contribution);
        long hour = Window.containing(contribution.occurredAt(), HOUR).start();
        if (hourIsBillingWindow) {
            byHour.put(key, StateCodec.encode(billingState), hour);
        } else {
            remove(byHour, key, hour, contribution);
        }
    }

    private static WindowState load(WindowStore<String, byte[]> store, String key, long start, Definition definition) {
        byte[] stored = store.fetch(key, start);
        return stored == null ? new WindowState(definition) : StateCodec.decodeState(stored);
    }

    private static void remove(WindowStore<String, byte[]> store, String key, long start, Contribution contribution) {
        byte[] stored = store.fetch(key, start);
        if (stored == null) {
            return;
        }
        WindowState state = StateCodec.decodeState(stored);
        if (state.remove(contribution)) {
            store.put(key, StateCodec.encode(state), start);
        }
    }
}
