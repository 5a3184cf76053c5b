package dev.tally.metering.topology;

import java.math.BigDecimal;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The live view: every counted event, on time or late, added to its minute and its hour, so that a
 * query sees usage within a commit interval of its arrival and the totals equal what billing gets
 * (closed windows plus corrections).
 */
final class LiveUsage {

    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final WindowStore<String, byte[]> byMinute;
    private final WindowStore<String, byte[]> byHour;

    LiveUsage(WindowStore<String, byte[]> byMinute, WindowStore<String, byte[]> byHour) {
        this.byMinute = byMinute;
        this.byHour = byHour;
    }

    void add(Series series, long occurredAt, BigDecimal quantity) {
        String key = series.encode();
        add(byMinute, key, Window.containing(occurredAt, MINUTE), quantity);
        add(byHour, key, Window.containing(occurredAt, HOUR), quantity);
    }

    private static void add(WindowStore<String, byte[]> store, String key, Window window, BigDecimal quantity) {
        byte[] current = store.fetch(key, window.start());
        WindowTotal total = current == null
                ? WindowTotal.first(window, quantity)
                : WindowTotal.fromBytes(current).add(quantity);
        store.put(key, total.toBytes(), window.start());
    }
}
