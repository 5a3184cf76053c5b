package dev.tally.billing.cycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A half-open stretch of time {@code [from, to)}, never empty. */
public record TimeSpan(Instant from, Instant to) {

    public TimeSpan {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("an empty or reversed span: " + from + " to " + to);
        }
    }

    /** {@code [from, to)}, or empty when {@code to} is not after {@code from}. */
    public static Optional<TimeSpan> between(Instant from, Instant to) {
        return from.isBefore(to) ? Optional.of(new TimeSpan(from, to)) : Optional.empty();
    }

    /** Whether {@code instant} falls in the span. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(from) && instant.isBefore(to);
    }

    /** The part both spans share, if any. */
    public Optional<TimeSpan> intersect(TimeSpan other) {
        return between(latest(from, other.from), earliest(to, other.to));
    }

    /** The length in whole seconds (spans of a subscription begin and end on whole seconds). */
    public long seconds() {
        return Duration.between(from, to).getSeconds();
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")";
    }

    /** The later of two instants. */
    public static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The earlier of two instants. */
    public static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
