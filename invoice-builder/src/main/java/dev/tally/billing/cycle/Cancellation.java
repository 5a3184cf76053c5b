package dev.tally.billing.cycle;

import java.time.Instant;
import java.util.Objects;

/**
 * How a subscription ends.
 *
 * <ul>
 *   <li>{@link #at(Instant) at an instant} ("cancel now", or a chosen {@code cancelAt}): nothing is billed
 *       from that instant on, and the unused part of the period's in-advance fees is credited;
 *   <li>{@link #atPeriodEnd(Instant) at period end}, asked at {@code instant}: the period containing that
 *       instant is billed fully and is the last one; asked during a trial, the subscription ends with the
 *       trial and nothing is billed.
 * </ul>
 */
public record Cancellation(Instant instant, boolean atPeriodEnd) {

    public Cancellation {
        Objects.requireNonNull(instant, "instant");
    }

    /** Cancelled from {@code instant} on. */
    public static Cancellation at(Instant instant) {
        return new Cancellation(instant, false);
    }

    /** Cancelled at the end of the period in which it was asked, at {@code requestedAt}. */
    public static Cancellation atPeriodEnd(Instant requestedAt) {
        return new Cancellation(requestedAt, true);
    }
}
