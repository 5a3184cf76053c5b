package dev.tally.metering.query;

import java.util.Locale;

/** The window size a usage query answers in: minutes and hours as stored, days and months rolled up. */
public enum Granularity {
    MINUTE,
    HOUR,
    DAY,
    MONTH;

    /** Parses {@code minute|hour|day|month}. */
    static Granularity parse(String value) {
        // exact names only: upper-casing first would read "mınute" (dotless i) as MINUTE
        for (Granularity granularity : values()) {
            if (granularity.name().toLowerCase(Locale.ROOT).equals(value)) {
                return granularity;
            }
        }
        throw new MeteringException(
                MeteringErrorCode.INVALID_PARAMETER, "window must be minute, hour, day or month", "window");
    }

    /** Whether answers come from the minute store (else the hour store). */
    boolean fromMinutes() {
        return this == MINUTE;
    }
}
