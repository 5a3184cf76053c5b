package dev.tally.billing.upcoming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.planning.Usage;
import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When metering's month count of a unique_count span is exact, now Apr 10 12:30 (UTC).
 *
 * <pre>
 *  Apr 1 00:00 ───────────── now Apr 10 12:30 ───── May 1 00:00   one UTC month, on the hour: countable
 *  Apr 15 00:00 ─ May 1 ─ now May 3 ───────────── May 15          two months: not countable
 *  Apr 1 10:37 ─────── now                                        off the hour: only with whole-hour ledger windows
 * </pre>
 */
class DistinctSpanTest {

    @ParameterizedTest(name = "[{0}, {1}) at {2}, ledger windows {3} s: {4}")
    @CsvSource({
        "2026-04-01T00:00:00Z, 2026-05-01T00:00:00Z, 2026-04-10T12:30:00Z, 3600, true",
        "2026-04-01T00:00:00Z, 2026-05-01T00:00:00Z, 2026-04-10T12:30:00Z, 0, true",
        "2026-04-15T00:00:00Z, 2026-05-15T00:00:00Z, 2026-04-20T12:30:00Z, 3600, true",
        "2026-04-15T00:00:00Z, 2026-05-15T00:00:00Z, 2026-05-03T12:30:00Z, 3600, false",
        "2026-04-01T10:37:00Z, 2026-05-01T10:37:00Z, 2026-04-10T12:30:00Z, 3600, true",
        "2026-04-01T10:37:00Z, 2026-05-01T10:37:00Z, 2026-04-10T12:30:00Z, 10, false",
        "2026-04-01T10:37:00Z, 2026-05-01T10:37:00Z, 2026-04-10T12:30:00Z, 0, false",
        "2026-04-01T00:00:00Z, 2026-04-05T10:30:00Z, 2026-04-10T12:30:00Z, 10, false",
        "2026-04-01T00:00:00Z, 2026-04-05T10:30:00Z, 2026-04-10T12:30:00Z, 3600, true",
        "2026-04-11T00:00:00Z, 2026-05-11T00:00:00Z, 2026-04-10T12:30:00Z, 0, false"
    })
    void shouldCountTheSpanOnlyInOneUtcMonthWithMeteringsHoursBeingTheLedgersWindows(
            String from, String to, String now, long ledgerSeconds, boolean countable) {
        TimeSpan span = new TimeSpan(Instant.parse(from), Instant.parse(to));
        List<LedgerEntry> ledger = ledgerSeconds == 0
                ? List.of()
                : List.of(window(Instant.parse("2026-04-02T00:00:00Z").plusSeconds(ledgerSeconds), ledgerSeconds, 2));

        assertThat(DistinctSpan.countable(ledger, span, Instant.parse(now))).isEqualTo(countable);
    }

    @Test
    void shouldProbeTheHourOfTheEarliestWindowWithEvents() {
        List<LedgerEntry> ledger = List.of(
                window(Instant.parse("2026-04-05T10:00:00Z"), 3600, 1),
                window(Instant.parse("2026-04-03T07:20:00Z"), 10, 3),
                window(Instant.parse("2026-04-02T00:00:00Z"), 3600, 0));

        assertThat(DistinctSpan.probeHour(ledger)).contains(Instant.parse("2026-04-03T07:00:00Z"));
        assertThat(DistinctSpan.probeHour(List.of())).isEmpty();
    }

    @Test
    void shouldAddEachAggregationsMonthAndRefuseTwoMonthsOfOne() {
        Instant april = Instant.parse("2026-04-01T00:00:00Z");
        Instant may = Instant.parse("2026-05-01T00:00:00Z");
        LiveWindow users = new LiveWindow(Aggregation.UNIQUE_COUNT, april, may, new BigDecimal("4"), 9);
        LiveWindow summed = new LiveWindow(Aggregation.SUM, april, may, new BigDecimal("2.5"), 3);
        LiveWindow nextMonth =
                new LiveWindow(Aggregation.UNIQUE_COUNT, may, may.plusSeconds(86400 * 31L), BigDecimal.ONE, 1);

        assertThat(DistinctSpan.usage(List.of(users, summed))).hasValueSatisfying(usage -> {
            assertThat(usage.quantity()).isEqualByComparingTo("6.5");
            assertThat(usage.eventCount()).isEqualTo(12);
        });
        assertThat(DistinctSpan.usage(List.of(users, nextMonth))).isEmpty();
        assertThat(DistinctSpan.usage(List.of())).contains(new Usage(BigDecimal.ZERO.setScale(9), 0));
    }

    private static LedgerEntry window(Instant from, long seconds, long events) {
        return new LedgerEntry(
                1,
                "agg-" + from,
                "w|" + from,
                "org_1",
                false,
                "acme",
                "users",
                from,
                from.plusSeconds(seconds),
                BigDecimal.valueOf(events),
                events,
                "window",
                Aggregation.UNIQUE_COUNT,
                0,
                from,
                from.plusSeconds(seconds),
                null);
    }
}
