package dev.tally.billing.entitlement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.cycle.TimeSpan;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ResetPeriodTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void aDayIsTheCustomersCalendarDayAcrossADaylightSavingChange() {
        // Paris moved to summer time on 2026-03-29 at 02:00: that day is 23 hours long
        TimeSpan day = ResetPeriod.DAY.around(Instant.parse("2026-03-29T12:00:00Z"), PARIS);

        assertThat(day)
                .isEqualTo(new TimeSpan(Instant.parse("2026-03-28T23:00:00Z"), Instant.parse("2026-03-29T22:00:00Z")));
    }

    @Test
    void aWeekStartsOnMonday() {
        // 2026-04-10 is a Friday
        TimeSpan week = ResetPeriod.WEEK.around(Instant.parse("2026-04-10T12:00:00Z"), ZoneId.of("UTC"));

        assertThat(week)
                .isEqualTo(new TimeSpan(Instant.parse("2026-04-06T00:00:00Z"), Instant.parse("2026-04-13T00:00:00Z")));
    }

    @Test
    void aMonthIsTheCalendarMonthInTheZoneEvenWhereUtcIsStillInThePreviousOne() {
        // 00:30 in Paris on May 1 is still April 30 in UTC
        TimeSpan month = ResetPeriod.MONTH.around(Instant.parse("2026-04-30T22:30:00Z"), PARIS);

        assertThat(month)
                .isEqualTo(new TimeSpan(Instant.parse("2026-04-30T22:00:00Z"), Instant.parse("2026-05-31T22:00:00Z")));
    }

    @Test
    void anInstantOnTheBoundaryBelongsToThePeriodItStarts() {
        TimeSpan day = ResetPeriod.DAY.around(Instant.parse("2026-04-10T00:00:00Z"), ZoneId.of("UTC"));

        assertThat(day.from()).isEqualTo(Instant.parse("2026-04-10T00:00:00Z"));
    }
}
