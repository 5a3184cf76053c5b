package dev.tally.metering.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tally.metering.topology.UsageCell;
import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Days and months of a time zone made of hours.
 *
 * <pre>
 * UTC        22:00 ─ 23:00 ─ 00:00 ─ 01:00
 * Paris      23:00 ─ 00:00 ─ 01:00 ─ 02:00     (UTC+1 in November)
 * Paris day  ── 11-21 ──┤├──── 11-22 ───────
 * </pre>
 */
class UsageRollupTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long H22 = Instant.parse("2026-11-21T22:00:00Z").toEpochMilli();

    @Test
    void shouldRollHoursUpIntoTheDaysOfTheQueriedZone() {
        List<UsageCell> hours = List.of(cell(H22, "1"), cell(H22 + HOUR, "2"), cell(H22 + 2 * HOUR, "4"));

        List<UsageReport.Row> days = UsageRollup.rows(hours, Granularity.DAY, ZoneId.of("Europe/Paris"), null);

        assertThat(days)
                .extracting(UsageReport.Row::windowStart, UsageReport.Row::quantity, UsageReport.Row::eventCount)
                .containsExactly(
                        tuple(Instant.parse("2026-11-20T23:00:00Z"), "1.000000000", 1L),
                        tuple(Instant.parse("2026-11-21T23:00:00Z"), "6.000000000", 2L));
    }

    @Test
    void shouldRollHoursUpIntoMonths() {
        List<UsageCell> hours = List.of(cell(H22, "1"), cell(H22 + 10 * 24 * HOUR, "2"));

        List<UsageReport.Row> months = UsageRollup.rows(hours, Granularity.MONTH, ZoneId.of("UTC"), null);

        assertThat(months)
                .extracting(UsageReport.Row::windowStart, UsageReport.Row::windowEnd, UsageReport.Row::quantity)
                .containsExactly(
                        tuple(
                                Instant.parse("2026-11-01T00:00:00Z"),
                                Instant.parse("2026-12-01T00:00:00Z"),
                                "1.000000000"),
                        tuple(
                                Instant.parse("2026-12-01T00:00:00Z"),
                                Instant.parse("2027-01-01T00:00:00Z"),
                                "2.000000000"));
    }

    @Test
    void shouldMarkWindowsFinalUpToTheWatermark() {
        List<UsageCell> hours = List.of(cell(H22, "1"), cell(H22 + HOUR, "2"));

        List<UsageReport.Row> rows = UsageRollup.rows(hours, Granularity.HOUR, ZoneId.of("UTC"), H22 + HOUR);

        assertThat(rows).extracting(UsageReport.Row::isFinal).containsExactly(true, false);
    }

    @Test
    void shouldMergeHoursIntoADayByTheirAggregation() {
        List<UsageCell> hours = List.of(
                cell(Aggregation.MIN, H22 + 2 * HOUR, "4", null, List.of()),
                cell(Aggregation.MIN, H22 + 3 * HOUR, "2", null, List.of()),
                cell(Aggregation.MAX, H22 + 2 * HOUR, "4", null, List.of()),
                cell(Aggregation.MAX, H22 + 3 * HOUR, "2", null, List.of()),
                cell(Aggregation.LATEST, H22 + 2 * HOUR, "7", H22 + 2 * HOUR + 5, List.of()),
                cell(Aggregation.LATEST, H22 + 3 * HOUR, "3", H22 + 3 * HOUR + 5, List.of()),
                cell(Aggregation.UNIQUE_COUNT, H22 + 2 * HOUR, "2", null, List.of("ann", "bo")),
                cell(Aggregation.UNIQUE_COUNT, H22 + 3 * HOUR, "2", null, List.of("bo", "cy")),
                cell(Aggregation.COUNT, H22 + 2 * HOUR, "2", null, List.of()),
                cell(Aggregation.COUNT, H22 + 3 * HOUR, "5", null, List.of()));

        List<UsageReport.Row> days = UsageRollup.rows(hours, Granularity.DAY, ZoneId.of("UTC"), null);

        assertThat(days)
                .extracting(UsageReport.Row::aggregation, UsageReport.Row::quantity)
                .containsExactly(
                        tuple("min", "2.000000000"),
                        tuple("max", "4.000000000"),
                        tuple("latest", "3.000000000"),
                        tuple("unique_count", "3.000000000"),
                        tuple("count", "7.000000000"));
    }

    @Test
    void shouldIgnoreAnEmptiedHourWhenTakingTheMinimumOfADay() {
        List<UsageCell> hours = List.of(
                new UsageCell(
                        "cus_1",
                        "ai_call",
                        Aggregation.MIN,
                        H22 + 2 * HOUR,
                        H22 + 3 * HOUR,
                        new BigDecimal("0E-9"),
                        0,
                        null,
                        List.of()),
                cell(Aggregation.MIN, H22 + 3 * HOUR, "5", null, List.of()));

        assertThat(UsageRollup.rows(hours, Granularity.DAY, ZoneId.of("UTC"), null))
                .extracting(UsageReport.Row::quantity, UsageReport.Row::eventCount)
                .containsExactly(tuple("5.000000000", 1L));
    }

    private static UsageCell cell(long start, String quantity) {
        return cell(Aggregation.SUM, start, quantity, null, List.of());
    }

    private static UsageCell cell(
            Aggregation aggregation, long start, String quantity, Long latestAt, List<String> distinct) {
        return new UsageCell(
                "cus_1",
                "ai_call",
                aggregation,
                start,
                start + HOUR,
                new BigDecimal(quantity).setScale(9),
                1,
                latestAt,
                distinct);
    }
}
