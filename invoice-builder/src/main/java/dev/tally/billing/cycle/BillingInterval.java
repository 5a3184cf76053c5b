package dev.tally.billing.cycle;

import dev.tally.billing.BillingException;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How often a subscription bills: every {@code count} {@code unit}s ("every 3 months", "every 2 weeks").
 * The span is at most three years (1095 days, 156 weeks, 36 months or 3 years), as Stripe allows. Invalid
 * values fail with a 400 naming {@code interval} or {@code intervalCount}, the JSON fields of prices and
 * subscriptions.
 */
public record BillingInterval(Unit unit, int count) {

    /** A calendar unit, counted in the customer's local time (a day is a local calendar day). */
    public enum Unit {
        DAY(ChronoUnit.DAYS, 1095),
        WEEK(ChronoUnit.WEEKS, 156),
        MONTH(ChronoUnit.MONTHS, 36),
        YEAR(ChronoUnit.YEARS, 3);

        private final ChronoUnit chronoUnit;
        private final int maxCount;

        Unit(ChronoUnit chronoUnit, int maxCount) {
            this.chronoUnit = chronoUnit;
            this.maxCount = maxCount;
        }

        /** The JSON name: {@code day}, {@code week}, {@code month} or {@code year}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The unit named {@code wireName}, or a 400 on {@code interval}. */
        public static Unit fromWireName(String wireName) {
            for (Unit unit : values()) {
                if (unit.wireName().equals(wireName)) {
                    return unit;
                }
            }
            throw BillingException.invalid("interval", "must be one of " + wireNames());
        }

        private static String wireNames() {
            return Arrays.stream(values()).map(Unit::wireName).collect(Collectors.joining(", "));
        }
    }

    public BillingInterval {
        if (unit == null) {
            throw BillingException.invalid("interval", "must be one of " + Unit.wireNames());
        }
        if (count < 1 || count > unit.maxCount) {
            throw BillingException.invalid(
                    "intervalCount",
                    "must be between 1 and " + unit.maxCount + " for interval " + unit.wireName()
                            + " (at most three years)");
        }
    }

    /** The interval of the JSON fields {@code interval} and {@code intervalCount}. */
    public static BillingInterval of(String unit, int count) {
        return new BillingInterval(Unit.fromWireName(unit), count);
    }

    /** Every single {@code unit}. */
    public static BillingInterval every(Unit unit) {
        return new BillingInterval(unit, 1);
    }

    /**
     * {@code local} plus {@code intervals} whole intervals (negative goes back). Months and years keep the
     * day of month where it exists and take the month's last day where it does not (java.time's
     * {@code plusMonths}), so callers must always add to the anchor, never to a previous result.
     */
    LocalDateTime addTo(LocalDateTime local, long intervals) {
        return local.plus(Math.multiplyExact(intervals, (long) count), unit.chronoUnit);
    }

    /** How many whole intervals lie between two local times, rounded towards negative infinity (an estimate). */
    long intervalsBetween(LocalDateTime from, LocalDateTime to) {
        return Math.floorDiv(unit.chronoUnit.between(from, to), (long) count);
    }

    @Override
    public String toString() {
        return "every " + count + " " + unit.wireName();
    }
}
