package dev.tally.billing.invoice;

import dev.tally.billing.InstantText;
import java.time.Instant;

/** A billing period's bounds: {@code [start, end)}. */
public record UsagePeriod(Instant start, Instant end) {

    /** Whether {@code instant} falls in the period. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    @Override
    public String toString() {
        return InstantText.of(start) + " to " + InstantText.of(end);
    }
}
