package dev.tally.metering.topology;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exact usage of one window under its definition, kept so that any event can be added and
 * any counted event taken back out with the result exact: SUM keeps the sum; COUNT the count;
 * MIN and MAX every value with its occurrences; LATEST every event's (time, id) and value;
 * UNIQUE_COUNT every distinct value with its occurrences. {@link StateCodec} stores it.
 */
final class WindowState {

    private static final BigDecimal ZERO = Decimals.quantity(BigDecimal.ZERO);

    private final Definition definition;
    private long eventCount;
    private BigDecimal sum = ZERO;
    /** MIN and MAX: value to occurrences. */
    private final TreeMap<BigDecimal, Long> values = new TreeMap<>();
    /** LATEST: (occurredAt, eventId) to value; the last entry is the latest. */
    private final TreeMap<LatestKey, BigDecimal> latest = new TreeMap<>();
    /** UNIQUE_COUNT: distinct value to occurrences. */
    private final TreeMap<String, Long> distinct = new TreeMap<>();

    /** Orders LATEST's events: by time, ties by event id. */
    record LatestKey(long occurredAt, String eventId) implements Comparable<LatestKey> {
        @Override
        public int compareTo(LatestKey other) {
            int byTime = Long.compare(occurredAt, other.occurredAt);
            return byTime != 0 ? byTime : eventId.compareTo(other.eventId);
        }
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
     * Adds a contribution.
     *
     * @throws Rejection {@code distinct_limit_exceeded} (and the state is unchanged) when it would
     *     take the window past {@code maxEntries}
     */
    void add(Contribution contribution, int maxEntries) {
        switch (aggregation()) {
            case SUM -> sum = sum.add(contribution.value());
            case COUNT -> {
                // the count is all COUNT keeps
            }
            case MIN, MAX -> {
                requireRoom(values, contribution.value(), maxEntries);
                values.merge(contribution.value(), 1L, Long::sum);
            }
            case LATEST -> {
                LatestKey key = new LatestKey(contribution.occurredAt(), contribution.eventId());
                requireRoom(latest, key, maxEntries);
                latest.put(key, contribution.value());
            }
            case UNIQUE_COUNT -> {
                requireRoom(distinct, contribution.distinct(), maxEntries);
                distinct.merge(contribution.distinct(), 1L, Long::sum);
            }
        }
        eventCount++;
    }

    /** Takes a counted contribution back out; false (state unchanged) when the window does not hold it. */
    boolean remove(Contribution contribution) {
        if (eventCount == 0) {
            return false;
        }
        boolean held =
                switch (aggregation()) {
                    case SUM -> {
                        sum = sum.subtract(contribution.value());
                        yield true;
                    }
                    case COUNT -> true;
                    case MIN, MAX -> decrement(values, contribution.value());
                    case LATEST ->
                        latest.remove(new LatestKey(contribution.occurredAt(), contribution.eventId())) != null;
                    case UNIQUE_COUNT -> decrement(distinct, contribution.distinct());
                };
        if (held) {
            eventCount--;
        }
        return held;
    }

    /** The window's usage: the sum, count, min, max, latest value or number of distinct values (0 if empty). */
    BigDecimal quantity() {
        return switch (aggregation()) {
            case SUM -> sum;
            case COUNT -> Decimals.quantity(BigDecimal.valueOf(eventCount));
            case MIN -> values.isEmpty() ? ZERO : values.firstKey();
            case MAX -> values.isEmpty() ? ZERO : values.lastKey();
            case LATEST -> latest.isEmpty() ? ZERO : latest.lastEntry().getValue();
            case UNIQUE_COUNT -> Decimals.quantity(BigDecimal.valueOf(distinct.size()));
        };
    }

    /** LATEST: the time of the event whose value is the quantity; null otherwise or when empty. */
    Long latestAt() {
        return aggregation() == Aggregation.LATEST && !latest.isEmpty()
                ? latest.lastKey().occurredAt()
                : null;
    }

    /** UNIQUE_COUNT: the distinct values, sorted; empty otherwise. */
    List<String> distinctValues() {
        return new ArrayList<>(distinct.keySet());
    }

    // package-private views for StateCodec, the one place that lays the state out in bytes

    BigDecimal sum() {
        return sum;
    }

    Map<BigDecimal, Long> values() {
        return values;
    }

    Map<LatestKey, BigDecimal> latest() {
        return latest;
    }

    Map<String, Long> distinct() {
        return distinct;
    }

    void restore(long count, BigDecimal restoredSum) {
        this.eventCount = count;
        this.sum = restoredSum;
    }

    private static <K> void requireRoom(Map<K, ?> entries, K key, int maxEntries) {
        if (entries.size() >= maxEntries && !entries.containsKey(key)) {
            throw new Rejection(
                    Rejections.DISTINCT_LIMIT_EXCEEDED,
                    "the window already holds " + entries.size()
                            + " distinct entries (tally.metering.max-distinct-per-window)");
        }
    }

    private static <K> boolean decrement(Map<K, Long> counts, K key) {
        Long count = counts.get(key);
        if (count == null) {
            return false;
        }
        if (count == 1) {
            counts.remove(key);
        } else {
            counts.put(key, count - 1);
        }
        return true;
    }
}
