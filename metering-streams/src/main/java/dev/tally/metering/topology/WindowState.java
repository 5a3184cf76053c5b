package dev.tally.metering.topology;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * The exact usage of one window under its definition, kept so that any event can be added and
 * any counted event taken back out with the result exact. SUM keeps the sum and COUNT the count.
 * MIN and MAX keep every value with its occurrences, LATEST every event's (time, id) and value,
 * UNIQUE_COUNT every distinct value with its occurrences: as one {@link WindowEntries} entry each,
 * never as one growing record, so a window is never cut. This header, which {@link StateCodec}
 * stores, keeps the entry count and the current minimum, maximum or latest event, so the window's
 * quantity needs no scan; only taking out the extreme itself reads the next one.
 */
final class WindowState {

    private static final BigDecimal ZERO = Decimals.quantity(BigDecimal.ZERO);

    private final Definition definition;
    private long eventCount;
    private BigDecimal sum = ZERO;
    /** MIN, MAX, LATEST, UNIQUE_COUNT: how many entries the window holds. */
    private long entryCount;
    /** MIN and MAX: the smallest or largest value held; null when none. */
    private BigDecimal extreme;
    /** LATEST: the latest event held, as its entry key, and its value; null when none. */
    private byte[] latestKey;

    private BigDecimal latestValue;

    /** What taking a contribution back out did. */
    record Removal(boolean held, String vanished) {
        static final Removal NOT_HELD = new Removal(false, null);
    }

    WindowState(Definition definition) {
        this.definition = definition;
    }

    Definition definition() {
        return definition;
    }

    Aggregation aggregation() {
        return definition.aggregation();
    }

    long eventCount() {
        return eventCount;
    }

    /**
     * Adds a contribution to this header and to the window's {@code entries}.
     *
     * @return UNIQUE_COUNT: the distinct value when the window did not hold it before; else null
     */
    String add(Contribution contribution, WindowEntries.Window entries) {
        String appeared = null;
        switch (aggregation()) {
            case SUM -> sum = sum.add(contribution.value());
            case COUNT -> {
                // the count is all COUNT keeps
            }
            case MIN, MAX -> {
                if (increment(entries, EntryKey.decimal(contribution.value()))) {
                    entryCount++;
                }
                if (extreme == null || isBeyondExtreme(contribution.value())) {
                    extreme = contribution.value();
                }
            }
            case LATEST -> {
                // event ids are unique in a series (the dedup store refuses a second), so the key is new
                byte[] key = EntryKey.latest(contribution.occurredAt(), contribution.eventId());
                entries.put(key, contribution.value().unscaledValue().toByteArray());
                entryCount++;
                if (latestKey == null || Arrays.compareUnsigned(key, latestKey) > 0) {
                    latestKey = key;
                    latestValue = contribution.value();
                }
            }
            case UNIQUE_COUNT -> {
                if (increment(entries, EntryKey.distinct(contribution.distinct()))) {
                    entryCount++;
                    appeared = contribution.distinct();
                }
            }
        }
        eventCount++;
        return appeared;
    }

    /** Takes a counted contribution back out; {@link Removal#NOT_HELD} (nothing changed) when the window does not hold it. */
    Removal remove(Contribution contribution, WindowEntries.Window entries) {
        if (eventCount == 0) {
            return Removal.NOT_HELD;
        }
        String vanished = null;
        switch (aggregation()) {
            case SUM -> sum = sum.subtract(contribution.value());
            case COUNT -> {
                // the count is all COUNT keeps
            }
            case MIN, MAX -> {
                Boolean gone = decrement(entries, EntryKey.decimal(contribution.value()));
                if (gone == null) {
                    return Removal.NOT_HELD;
                }
                if (gone) {
                    entryCount--;
                    if (contribution.value().compareTo(extreme) == 0) {
                        KeyValue<byte[], byte[]> next =
                                aggregation() == Aggregation.MIN ? entries.first() : entries.last();
                        extreme = next == null ? null : EntryKey.decimal(next.key);
                    }
                }
            }
            case LATEST -> {
                byte[] key = EntryKey.latest(contribution.occurredAt(), contribution.eventId());
                if (entries.get(key) == null) {
                    return Removal.NOT_HELD;
                }
                entries.delete(key);
                entryCount--;
                if (Arrays.equals(key, latestKey)) {
                    KeyValue<byte[], byte[]> next = entries.last();
                    latestKey = next == null ? null : next.key;
                    latestValue = next == null ? null : latestValue(next.value);
                }
            }
            case UNIQUE_COUNT -> {
                Boolean gone = decrement(entries, EntryKey.distinct(contribution.distinct()));
                if (gone == null) {
                    return Removal.NOT_HELD;
                }
                if (gone) {
                    entryCount--;
                    vanished = contribution.distinct();
                }
            }
        }
        eventCount--;
        return new Removal(true, vanished);
    }

    /** The window's usage: the sum, count, min, max, latest value or number of distinct values (0 if empty). */
    BigDecimal quantity() {
        return switch (aggregation()) {
            case SUM -> sum;
            case COUNT -> Decimals.quantity(BigDecimal.valueOf(eventCount));
            case MIN, MAX -> extreme == null ? ZERO : extreme;
            case LATEST -> latestValue == null ? ZERO : latestValue;
            case UNIQUE_COUNT -> Decimals.quantity(BigDecimal.valueOf(entryCount));
        };
    }

    /** LATEST: the time of the event whose value is the quantity; null otherwise or when empty. */
    Long latestAt() {
        return latestKey == null ? null : EntryKey.latestOccurredAt(latestKey);
    }

    /** UNIQUE_COUNT: the window's distinct values, in their entries' (UTF-8 byte) order; empty otherwise. */
    List<String> distinctValues(WindowEntries.Window entries) {
        List<String> values = new ArrayList<>();
        if (aggregation() == Aggregation.UNIQUE_COUNT) {
            for (byte[] key : entries.keys()) {
                values.add(EntryKey.distinct(key));
            }
        }
        return values;
    }

    // package-private views for StateCodec, the one place that lays the header out in bytes

    BigDecimal sum() {
        return sum;
    }

    long entryCount() {
        return entryCount;
    }

    BigDecimal extreme() {
        return extreme;
    }

    byte[] latestKey() {
        return latestKey;
    }

    BigDecimal latestValue() {
        return latestValue;
    }

    void restore(long count, BigDecimal restoredSum, long entries, BigDecimal restoredExtreme) {
        this.eventCount = count;
        this.sum = restoredSum;
        this.entryCount = entries;
        this.extreme = restoredExtreme;
    }

    void restoreLatest(byte[] key, BigDecimal value) {
        this.latestKey = key;
        this.latestValue = value;
    }

    private boolean isBeyondExtreme(BigDecimal value) {
        int order = value.compareTo(extreme);
        return aggregation() == Aggregation.MIN ? order < 0 : order > 0;
    }

    private static BigDecimal latestValue(byte[] stored) {
        return new BigDecimal(new BigInteger(stored), Decimals.QUANTITY_SCALE);
    }

    /** Counts one more occurrence of the entry; true when the entry is new. */
    private static boolean increment(WindowEntries.Window entries, byte[] key) {
        byte[] stored = entries.get(key);
        long occurrences = stored == null ? 0 : ByteBuffer.wrap(stored).getLong();
        entries.put(
                key, ByteBuffer.allocate(Long.BYTES).putLong(occurrences + 1).array());
        return stored == null;
    }

    /** Counts one occurrence less: null when the entry is not held, true when it is gone. */
    private static Boolean decrement(WindowEntries.Window entries, byte[] key) {
        byte[] stored = entries.get(key);
        if (stored == null) {
            return null;
        }
        long occurrences = ByteBuffer.wrap(stored).getLong();
        if (occurrences <= 1) {
            entries.delete(key);
            return true;
        }
        entries.put(
                key, ByteBuffer.allocate(Long.BYTES).putLong(occurrences - 1).array());
        return false;
    }
}
