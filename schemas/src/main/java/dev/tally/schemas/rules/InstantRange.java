package dev.tally.schemas.rules;

import java.time.Instant;

/**
 * The instants any input may name (a billing period's bounds, a key's expiry, a query's range):
 * from 1970-01-01 to the end of year 9999, UTC. Inside it every instant fits PostgreSQL's
 * {@code timestamptz}, epoch milliseconds and a four-digit year, so none fails later arithmetic
 * or storage with a 500.
 */
public final class InstantRange {

    /** The earliest instant an input may name. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    /** The latest instant an input may name (at PostgreSQL's microsecond precision). */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** The range in words, for error messages. */
    public static final String DESCRIPTION = "between 1970-01-01 and 9999-12-31 (UTC)";

    private InstantRange() {}

    /** Whether {@code instant} lies in the range. */
    public static boolean contains(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }
}
