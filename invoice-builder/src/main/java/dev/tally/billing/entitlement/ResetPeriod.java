package dev.tally.billing.entitlement;

import dev.tally.billing.cycle.TimeSpan;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/**
 * The period after which a metered entitlement's usage starts again from zero: a calendar day, ISO week (from
 * Monday) or month in the customer's time zone, so a limit "per day" resets at the customer's midnight.
 */
public enum ResetPeriod {
    DAY,
    WEEK,
    MONTH;

    /** As the API and the database spell it. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The period spelled {@code text}, if there is one. */
    public static Optional<ResetPeriod> of(String text) {
        for (ResetPeriod period : values()) {
            if (period.text().equals(text)) {
                return Optional.of(period);
            }
        }
        return Optional.empty();
    }

    /** The period of this kind holding {@code instant}, in {@code zone}. */
    public TimeSpan around(Instant instant, ZoneId zone) {
        ZonedDateTime day = instant.atZone(zone).truncatedTo(ChronoUnit.DAYS);
        ZonedDateTime start =
                switch (this) {
                    case DAY -> day;
                    case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    case MONTH -> day.withDayOfMonth(1);
                };
        ZonedDateTime end =
                switch (this) {
                    case DAY -> start.plusDays(1);
                    case WEEK -> start.plusWeeks(1);
                    case MONTH -> start.plusMonths(1);
                };
        // a zone whose midnight falls in a gap starts the day at the first instant after it
        return new TimeSpan(start.toInstant(), end.toInstant());
    }
}
