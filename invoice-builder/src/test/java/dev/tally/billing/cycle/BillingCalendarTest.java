package dev.tally.billing.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.cycle.BillingInterval.Unit;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BillingCalendarTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId KIRITIMATI = ZoneId.of("Pacific/Kiritimati");

    private static Instant local(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    private static LocalDateTime localStart(BillingPeriod period, ZoneId zone) {
        return LocalDateTime.ofInstant(period.start(), zone);
    }

    private static BillingCalendar calendar(String anchor, ZoneId zone, Unit unit, int count) {
        return new BillingCalendar(local(anchor, zone), zone, new BillingInterval(unit, count));
    }

    //  Jan 31       Feb 29       Mar 31       Apr 30   …   Dec 31       Jan 31       Feb 28
    //  2028         (leap)                                              2029
    //  |--- k=0 ----|--- k=1 ----|--- k=2 ----|--  …   ----|--- k=11 ---|--- k=12 ---|
    @ParameterizedTest(name = "period {0} starts on {1}")
    @CsvSource({
        "-1, 2027-12-31",
        "0,  2028-01-31",
        "1,  2028-02-29", // leap February: its last day
        "2,  2028-03-31", // the 31st again: counted from the anchor, not from Feb 29
        "3,  2028-04-30",
        "4,  2028-05-31",
        "5,  2028-06-30",
        "6,  2028-07-31",
        "7,  2028-08-31",
        "8,  2028-09-30",
        "9,  2028-10-31",
        "10, 2028-11-30",
        "11, 2028-12-31",
        "12, 2029-01-31",
        "13, 2029-02-28", // common February
    })
    void shouldBillAMonthlyAnchorOnThe31stOnTheLastDayOfShorterMonths(long k, LocalDate startDay) {
        BillingCalendar monthly = calendar("2028-01-31T00:00", NEW_YORK, Unit.MONTH, 1);

        BillingPeriod period = monthly.period(k);

        // midnight local all year, on both sides of the DST changes
        assertThat(localStart(period, NEW_YORK)).isEqualTo(startDay.atStartOfDay());
        assertThat(monthly.periodContaining(period.start())).isEqualTo(period);
        assertThat(monthly.periodContaining(period.end().minusSeconds(1))).isEqualTo(period);
    }

    //  Jan 31 2027      Apr 30           Jul 31           Oct 31           Jan 31 2028
    //  |--- 3 months ---|--- 3 months ---|--- 3 months ---|--- 3 months ---|
    @ParameterizedTest(name = "period {0} starts on {1}")
    @CsvSource({"0, 2027-01-31", "1, 2027-04-30", "2, 2027-07-31", "3, 2027-10-31", "4, 2028-01-31"})
    void shouldCountEveryThreeMonthsFromTheAnchor(long k, LocalDate startDay) {
        BillingCalendar quarterly = calendar("2027-01-31T00:00", ZoneOffset.UTC, Unit.MONTH, 3);

        assertThat(localStart(quarterly.period(k), ZoneOffset.UTC)).isEqualTo(startDay.atStartOfDay());
    }

    //  Feb 29 2028      Feb 28 2029      Feb 28 2030      Feb 28 2031      Feb 29 2032
    //  |---- year ------|---- year ------|---- year ------|---- year ------|
    @ParameterizedTest(name = "period {0} starts on {1}")
    @CsvSource({"-1, 2027-02-28", "0, 2028-02-29", "1, 2029-02-28", "2, 2030-02-28", "3, 2031-02-28", "4, 2032-02-29"})
    void shouldBillAYearlyAnchorOnFebruary29thOnThe28thInCommonYears(long k, LocalDate startDay) {
        BillingCalendar yearly = calendar("2028-02-29T09:00", PARIS, Unit.YEAR, 1);

        assertThat(localStart(yearly.period(k), PARIS)).isEqualTo(startDay.atTime(9, 0));
    }

    //  Mon Mar 16     Mon Mar 23     Mon Mar 30     Mon Apr 6      (Paris springs forward on Sun Mar 29)
    //  |--- 7 d ------|-- 7 d - 1 h -|--- 7 d ------|
    @ParameterizedTest(name = "the week of {0} lasts {1} s")
    @CsvSource({
        "2026-03-16T12:00, 2026-03-16, 604800",
        "2026-03-29T12:00, 2026-03-23, 601200",
        "2026-04-01T00:00, 2026-03-30, 604800"
    })
    void shouldBillWeeksAsSevenLocalDays(String instantLocal, LocalDate weekStart, long seconds) {
        BillingCalendar weekly = calendar("2026-01-05T00:00", PARIS, Unit.WEEK, 1);

        BillingPeriod week = weekly.periodContaining(local(instantLocal, PARIS));

        assertThat(localStart(week, PARIS)).isEqualTo(weekStart.atStartOfDay());
        assertThat(week.seconds()).isEqualTo(seconds);
    }

    //  Mon Jan 5      Mon Jan 19     Mon Feb 2      Mon Feb 16
    //  |--- 2 weeks --|--- 2 weeks --|--- 2 weeks --|
    //                                    ^ Feb 10
    @Test
    void shouldBillEveryTwoWeeksFromTheAnchor() {
        BillingCalendar fortnightly = calendar("2026-01-05T00:00", ZoneOffset.UTC, Unit.WEEK, 2);

        BillingPeriod period = fortnightly.periodContaining(Instant.parse("2026-02-10T08:00:00Z"));

        assertThat(period.index()).isEqualTo(2);
        assertThat(period.start()).isEqualTo(Instant.parse("2026-02-02T00:00:00Z"));
        assertThat(period.end()).isEqualTo(Instant.parse("2026-02-16T00:00:00Z"));
        assertThat(period.seconds()).isEqualTo(14 * 86_400);
    }

    //  a daily period is a local calendar day:
    //  Sat 00:00      Sun 00:00      Mon 00:00
    //  |--- 24 h -----|- 23 or 25 h -|--- 24 h ---
    @ParameterizedTest(name = "{0}: {1} lasts {2} s")
    @CsvSource({
        "Europe/Paris,     2026-03-28, 86400",
        "Europe/Paris,     2026-03-29, 82800", // clocks spring forward at 02:00
        "Europe/Paris,     2026-03-30, 86400",
        "Europe/Paris,     2026-10-24, 86400",
        "Europe/Paris,     2026-10-25, 90000", // clocks fall back at 03:00
        "Europe/Paris,     2026-10-26, 86400",
        "America/New_York, 2026-03-07, 86400",
        "America/New_York, 2026-03-08, 82800",
        "America/New_York, 2026-03-09, 86400",
        "America/New_York, 2026-10-31, 86400",
        "America/New_York, 2026-11-01, 90000",
        "America/New_York, 2026-11-02, 86400",
    })
    void shouldBillADailyPeriodAsALocalDayOf23Or25HoursAcrossDst(ZoneId zone, LocalDate day, long seconds) {
        BillingCalendar daily = calendar("2026-01-01T00:00", zone, Unit.DAY, 1);

        BillingPeriod period =
                daily.periodContaining(day.atTime(12, 0).atZone(zone).toInstant());

        assertThat(localStart(period, zone)).isEqualTo(day.atStartOfDay());
        assertThat(LocalDateTime.ofInstant(period.end(), zone))
                .isEqualTo(day.plusDays(1).atStartOfDay());
        assertThat(period.seconds()).isEqualTo(seconds);
    }

    //  anchored daily at 02:30 Paris; on Mar 29 02:30 does not exist (02:00 -> 03:00), on Oct 25 it exists twice
    //  Mar 28 02:30 CET    Mar 29 03:30 CEST    Mar 30 02:30 CEST
    //  01:30Z              01:30Z               00:30Z
    //  |------ 24 h -------|------ 23 h --------|
    //  Oct 24 02:30 CEST   Oct 25 02:30 CEST    Oct 26 02:30 CET
    //  00:30Z              00:30Z (the earlier)  01:30Z
    //  |------ 24 h -------|------ 25 h --------|
    @ParameterizedTest(name = "the period from {0} lasts {2} s")
    @CsvSource({
        "2026-03-28T01:30:00Z, 2026-03-29T01:30:00Z, 86400", // ends at 03:30 summer time: moved by the gap
        "2026-03-29T01:30:00Z, 2026-03-30T00:30:00Z, 82800", // back to 02:30 the next day
        "2026-10-24T00:30:00Z, 2026-10-25T00:30:00Z, 86400", // ends at the first 02:30 (summer time)
        "2026-10-25T00:30:00Z, 2026-10-26T01:30:00Z, 90000",
    })
    void shouldMoveASkippedLocalTimeForwardAndTakeTheEarlierOfARepeatedOne(Instant start, Instant end, long seconds) {
        BillingCalendar daily = calendar("2026-01-10T02:30", PARIS, Unit.DAY, 1);

        BillingPeriod period = daily.periodContaining(start);

        assertThat(period.start()).isEqualTo(start);
        assertThat(period.end()).isEqualTo(end);
        assertThat(period.seconds()).isEqualTo(seconds);
    }

    //  monthly at 02:30 Paris from Jan 29: Mar 29 02:30 is skipped, Apr 29 is not
    //  Jan 29 02:30    Feb 28 02:30    Mar 29 03:30 CEST    Apr 29 02:30 CEST
    //  |---------------|---------------|--------------------|
    @Test
    void shouldNotCarryAGapShiftIntoLaterMonths() {
        BillingCalendar monthly = calendar("2026-01-29T02:30", PARIS, Unit.MONTH, 1);

        assertThat(monthly.boundary(2)).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(LocalDateTime.ofInstant(monthly.boundary(2), PARIS)).isEqualTo("2026-03-29T03:30");
        assertThat(LocalDateTime.ofInstant(monthly.boundary(3), PARIS)).isEqualTo("2026-04-29T02:30");
    }

    //  anchored at the second 01:30 of Nov 1 2026 in New York (EST, 06:30Z)
    //  Oct 31 01:30 EDT    Nov 1 01:30 EST = anchor    Nov 2 01:30 EST
    //  05:30Z              06:30Z                      06:30Z
    //  |------ 25 h -------|------ 24 h ---------------|
    @Test
    void shouldKeepAnAnchorOnARepeatedHourAsItsOwnBoundary() {
        Instant anchor = Instant.parse("2026-11-01T06:30:00Z");
        BillingCalendar daily = new BillingCalendar(anchor, NEW_YORK, BillingInterval.every(Unit.DAY));

        assertThat(daily.period(0).start()).isEqualTo(anchor);
        assertThat(daily.period(0).seconds()).isEqualTo(86_400);
        assertThat(daily.period(-1).start()).isEqualTo(Instant.parse("2026-10-31T05:30:00Z"));
        assertThat(daily.period(-1).seconds()).isEqualTo(90_000);
        assertThat(daily.periodContaining(anchor.minusSeconds(1)).index()).isEqualTo(-1);
    }

    //  Kiritimati is UTC+14: local midnight of Mar 1 is 10:00 UTC on Feb 28
    //  local:  Feb 1 00:00          Mar 1 00:00          Apr 1 00:00
    //  UTC:    Jan 31 10:00         Feb 28 10:00         Mar 31 10:00
    //          |------ k=-1 --------|------ k=0 ---------|
    @ParameterizedTest(name = "{0} is in period {1}")
    @CsvSource({
        "2026-02-28T09:59:59Z, -1", // local Feb 28 23:59:59
        "2026-02-28T10:00:00Z, 0", // local Mar 1 00:00
        "2026-03-31T09:59:59Z, 0",
        "2026-03-31T10:00:00Z, 1",
    })
    void shouldStartALocalPeriodFarEastOfUtcOnThePreviousUtcDay(Instant instant, long k) {
        BillingCalendar monthly = calendar("2026-03-01T00:00", KIRITIMATI, Unit.MONTH, 1);

        assertThat(monthly.period(0).start()).isEqualTo(Instant.parse("2026-02-28T10:00:00Z"));
        assertThat(monthly.periodContaining(instant).index()).isEqualTo(k);
    }

    @Test
    void shouldListThePeriodsOverlappingAHalfOpenRange() {
        BillingCalendar monthly = calendar("2026-01-15T00:00", ZoneOffset.UTC, Unit.MONTH, 1);

        List<BillingPeriod> periods = monthly.periodsOverlapping(
                Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-04-15T00:00:00Z"));

        // the range ends where the April period starts: that period shares no instant with it
        assertThat(periods).extracting(BillingPeriod::index).containsExactly(0L, 1L, 2L);
        assertThat(monthly.periodsOverlapping(
                        Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z")))
                .isEmpty();
    }

    @Test
    void shouldRefuseAnAnchorBetweenSeconds() {
        assertThatThrownBy(() -> new BillingCalendar(
                        Instant.parse("2026-01-01T00:00:00.5Z"), ZoneOffset.UTC, BillingInterval.every(Unit.DAY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole second");
    }
}
