package dev.tally.billing.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageMergeTest {

    private static final Instant HOUR = Instant.parse("2026-11-02T10:00:00Z");
    private static long ids;

    /** Each statement's distinct values, by aggregate id (in the database: window_values). */
    private final Map<String, List<String>> values = new HashMap<>();

    /** Counts the union of the values of exactly the statements it is given. */
    private final DistinctCounter union = windows -> windows.stream()
            .flatMap(w -> values.getOrDefault(w.aggregateId(), List.of()).stream())
            .distinct()
            .count();

    private BigDecimal merge(List<LedgerEntry> statements) {
        return UsageMerge.merge(statements, union);
    }

    /** A statement of window {@code hour} (hours after HOUR) at {@code revision}. */
    private LedgerEntry window(Aggregation aggregation, int hour, long revision, String quantity) {
        return statement(aggregation, hour, revision, quantity, 1, null, List.of());
    }

    private LedgerEntry statement(
            Aggregation aggregation,
            int hour,
            long revision,
            String quantity,
            long events,
            Instant latestAt,
            List<String> distinct) {
        Instant start = HOUR.plusSeconds(3600L * hour);
        values.put("w" + hour + "#" + revision, distinct);
        return new LedgerEntry(
                ++ids,
                "w" + hour + "#" + revision,
                "w" + hour,
                "org_1",
                false,
                "c1",
                "f",
                start,
                start.plusSeconds(3600),
                new BigDecimal(quantity),
                events,
                revision == 0 ? "window" : "correction",
                aggregation,
                revision,
                latestAt,
                start,
                null);
    }

    @Test
    void shouldCountEachWindowOnceAtItsHighestRevisionWhateverTheOrder() {
        var merged = merge(List.of(
                window(Aggregation.SUM, 0, 1, "5"),
                window(Aggregation.SUM, 0, 2, "7"),
                window(Aggregation.SUM, 0, 0, "3"),
                window(Aggregation.SUM, 1, 0, "1.25")));

        assertThat(merged).isEqualByComparingTo("8.25");
        assertThat(merged.scale()).isEqualTo(9);
    }

    @Test
    void shouldAddSumsAndCounts() {
        assertThat(merge(List.of(window(Aggregation.COUNT, 0, 0, "2"), window(Aggregation.COUNT, 1, 0, "3"))))
                .isEqualByComparingTo("5");
    }

    @Test
    void shouldTakeTheSmallestAndLargestWindowIgnoringEmptyWindows() {
        LedgerEntry empty = statement(Aggregation.MIN, 3, 1, "0", 0, null, List.of());
        List<LedgerEntry> mins =
                List.of(window(Aggregation.MIN, 0, 0, "4"), window(Aggregation.MIN, 1, 0, "2.5"), empty);
        List<LedgerEntry> maxes = List.of(
                window(Aggregation.MAX, 0, 0, "4"),
                window(Aggregation.MAX, 1, 0, "9"),
                window(Aggregation.MAX, 1, 1, "3"));

        assertThat(merge(mins)).isEqualByComparingTo("2.5");
        // the 9 was restated to 3: the period's maximum is 4
        assertThat(merge(maxes)).isEqualByComparingTo("4");
    }

    @Test
    void shouldTakeTheLatestValueByItsTimeNotByItsWindowOrder() {
        List<LedgerEntry> windows = List.of(
                statement(Aggregation.LATEST, 2, 0, "6", 1, HOUR.plusSeconds(3 * 3600 - 1), List.of()),
                statement(Aggregation.LATEST, 0, 0, "5", 1, HOUR.plusSeconds(60), List.of()),
                statement(Aggregation.LATEST, 3, 1, "0", 0, null, List.of()));

        assertThat(merge(windows)).isEqualByComparingTo("6");
    }

    @Test
    void shouldCountTheUnionOfTheDistinctValuesOfEachWindowAtItsHighestRevision() {
        List<LedgerEntry> windows = List.of(
                statement(Aggregation.UNIQUE_COUNT, 0, 0, "2", 2, null, List.of("a", "b")),
                statement(Aggregation.UNIQUE_COUNT, 1, 0, "3", 3, null, List.of("b", "c", "z")),
                statement(Aggregation.UNIQUE_COUNT, 1, 1, "1", 1, null, List.of("c")));

        assertThat(merge(windows)).isEqualByComparingTo("3");
    }

    @Test
    void shouldBeZeroForNoWindowsAndForOnlyEmptyOnes() {
        assertThat(merge(List.of())).isEqualByComparingTo("0");
        assertThat(merge(List.of(statement(Aggregation.MAX, 0, 1, "0", 0, null, List.of()))))
                .isEqualByComparingTo("0");
    }

    @Test
    void shouldAddThePartsOfAPeriodMeteredWithDifferentAggregations() {
        // the feature's SUM meter was replaced by a MAX meter mid-period
        List<LedgerEntry> windows = List.of(
                window(Aggregation.SUM, 0, 0, "2"),
                window(Aggregation.SUM, 1, 0, "3"),
                window(Aggregation.MAX, 2, 0, "7"),
                window(Aggregation.MAX, 3, 0, "4"));

        assertThat(merge(windows)).isEqualByComparingTo("12");
    }
}
