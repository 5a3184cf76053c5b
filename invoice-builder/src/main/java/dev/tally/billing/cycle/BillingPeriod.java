package dev.tally.billing.cycle;

import java.time.Instant;
import java.util.Objects;

/**
 * Period {@code index} of a {@link BillingCalendar}: {@code [start, end)}. Index 0 starts at the anchor,
 * negative indexes lie before it. Its length in seconds is the denominator of every proration in it.
 */
public record BillingPeriod(long index, Instant start, Instant end) {

    public BillingPeriod {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("a period must end after it starts: " + start + " to " + end);
        }
    }

    /** Whether {@code instant} falls in the period. */
    public boolean contains(Instant instant) {
        return span().contains(instant);
    }

    /** The period as a span of time. */
    public TimeSpan span() {
        return new TimeSpan(start, end);
    }

    /** The period's length in seconds: 82,800 for a local day that springs forward, 90,000 for one that falls back. */
    public long seconds() {
        return span().seconds();
    }

    @Override
    public String toString() {
        return "period " + index + " [" + start + ", " + end + ")";
    }
}
