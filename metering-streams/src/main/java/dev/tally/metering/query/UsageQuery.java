package dev.tally.metering.query;

import dev.tally.schemas.rules.TimeZones;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

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
        String customer = QueryParameters.customer("customer", customerId);
        String featureKey = QueryParameters.feature("feature", feature);
        Instant start = required("from", QueryParameters.instant("from", from));
        Instant end = required("to", QueryParameters.instant("to", to));
        if (!end.isAfter(start)) {
            throw new MeteringException(MeteringErrorCode.INVALID_PARAMETER, "to must be after from", "to");
        }
        String windowText = QueryParameters.text("window", window);
        Granularity granularity = windowText == null ? Granularity.HOUR : Granularity.parse(windowText);
        Duration span = Duration.between(start, end);
        if (span.compareTo(granularity.fromMinutes() ? MAX_MINUTE_SPAN : MAX_SPAN) > 0) {
            throw new MeteringException(
                    MeteringErrorCode.INVALID_PARAMETER,
                    "the range is too long for " + granularity.name().toLowerCase() + " windows",
                    "from");
        }
        return new UsageQuery(
                customer, featureKey, start, end, granularity, zone(QueryParameters.text("time_zone", timeZone)));
    }

    private static Instant required(String field, Instant value) {
        if (value == null) {
            throw new MeteringException(MeteringErrorCode.INVALID_PARAMETER, field + " is required", field);
        }
        return value;
    }

    private static ZoneId zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneId.of("UTC");
        }
        return TimeZones.zone(timeZone)
                .orElseThrow(() -> new MeteringException(
                        MeteringErrorCode.INVALID_PARAMETER,
                        "time_zone must be " + TimeZones.DESCRIPTION,
                        "time_zone"));
    }
}
