package dev.tally.metering.query;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * A validated usage query: one customer or all of the organization's ({@code customerId} null), one
 * feature or all, a time range, a window size and the time zone days and months are cut in.
 */
public record UsageQuery(
        String customerId, String feature, Instant from, Instant to, Granularity granularity, ZoneId zone) {

    /** Minute windows answer at most this span (they are kept two days). */
    static final Duration MAX_MINUTE_SPAN = Duration.ofDays(2);
    /** Any query answers at most this span, to keep its cost bounded. */
    static final Duration MAX_SPAN = Duration.ofDays(400);

    /** Validates raw request parameters; {@code window} and {@code timeZone} may be null. */
    static UsageQuery parse(String customerId, String feature, String from, String to, String window, String timeZone) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (!end.isAfter(start)) {
            throw new MeteringException(MeteringErrorCode.INVALID_PARAMETER, "to must be after from", "to");
        }
        Granularity granularity = window == null ? Granularity.HOUR : Granularity.parse(window);
        Duration span = Duration.between(start, end);
        if (span.compareTo(granularity.fromMinutes() ? MAX_MINUTE_SPAN : MAX_SPAN) > 0) {
            throw new MeteringException(
                    MeteringErrorCode.INVALID_PARAMETER,
                    "the range is too long for " + granularity.name().toLowerCase() + " windows",
                    "from");
        }
        return new UsageQuery(blankToNull(customerId), blankToNull(feature), start, end, granularity, zone(timeZone));
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            throw new MeteringException(MeteringErrorCode.INVALID_PARAMETER, field + " is required", field);
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MeteringException(
                    MeteringErrorCode.INVALID_PARAMETER,
                    field + " must be an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z",
                    field);
        }
    }

    private static ZoneId zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new MeteringException(
                    MeteringErrorCode.INVALID_PARAMETER,
                    "time_zone must be an IANA zone, e.g. Europe/Paris",
                    "time_zone");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
