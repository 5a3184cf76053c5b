package dev.tally.billing.rating;

import java.util.Optional;

/**
 * The unit of a recurring price's period ({@code interval}); {@code intervalCount} of them make one
 * period. As in Stripe, a period is at most one year: {@link #maxCount()} bounds the count.
 */
public enum Interval {
    DAY(365),
    WEEK(52),
    MONTH(12),
    YEAR(1);

    private final int maxCount;

    Interval(int maxCount) {
        this.maxCount = maxCount;
    }

    /** The largest {@code intervalCount} with this interval (one year's worth). */
    public int maxCount() {
        return maxCount;
    }

    /** The JSON spelling: {@code day}, {@code week}, {@code month}, {@code year}. */
    public String wireName() {
        return WireNames.of(this);
    }

    /** The interval spelled {@code text} exactly, if any. */
    public static Optional<Interval> fromWireName(String text) {
        return WireNames.parse(Interval.class, text);
    }
}
