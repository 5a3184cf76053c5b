package dev.tally.schemas.rules;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one rule for a time zone in any input (a customer's or organization's {@code timeZone}, a usage
 * query's {@code time_zone}): an IANA region name such as {@code Europe/Paris} or {@code UTC}, in any
 * letter case, answered in its canonical spelling. Fixed offsets ({@code +02:00}, {@code UTC+2}) are
 * refused: a customer's billing days must follow its region's daylight-saving rules, and a usage query
 * cut by a zone billing would refuse could never be compared with an invoice.
 */
public final class TimeZones {

    /** What a valid time zone is, for error messages. */
    public static final String DESCRIPTION = "an IANA time zone such as Europe/Paris or UTC";

    /** Longer than any IANA name: anything longer is refused before a lookup. */
    private static final int MAX_LENGTH = 64;

    /** The region names by their lower-case spelling (offset-style ids such as Etc/GMT+2 are IANA names too). */
    private static final Map<String, String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .collect(Collectors.toUnmodifiableMap(zone -> zone.toLowerCase(Locale.ROOT), zone -> zone));

    private TimeZones() {}

    /** The canonical IANA name {@code text} spells, or empty when it is not one (null included). */
    public static Optional<String> canonicalName(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        return Optional.ofNullable(ZONES.get(text.toLowerCase(Locale.ROOT)));
    }

    /** The zone {@code text} names, or empty when it is not an IANA name. */
    public static Optional<ZoneId> zone(String text) {
        return canonicalName(text).map(ZoneId::of);
    }
}
