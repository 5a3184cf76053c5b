package dev.tally.metering.topology;

import static dev.tally.metering.topology.MeteringDriver.START;
import static dev.tally.metering.topology.MeteringDriver.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tally.metering.MeteringSettings;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.UsageAggregate;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Meters are data: each window is metered with the aggregation of the feature's active meter (read
 * from the meters topic, applied without a restart) over the quantity or a property, exactly.
 *
 * <pre>
 * wall clock  10:00 ─────────── 11:00 ── 11:10 (the 10:00 window closes) ──▶
 * </pre>
 */
class AggregationsTest {

    private static final Instant T10_05 = START.plus(Duration.ofMinutes(5));

    private MeteringDriver driver;

    @BeforeEach
    void start() {
        driver = new MeteringDriver(MeteringSettings.defaults());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldSumAPropertyAsAnExactDecimal() {
        driver.meter("tokens", Aggregation.SUM, "count", false);
        driver.send(event("e1", "cus_1", "tokens", T10_05, Map.of("count", "1.25")));
        driver.send(event("e2", "cus_1", "tokens", T10_05, Map.of("count", "0.000000001")));

        UsageAggregate window = closeHour();

        assertThat(window.getAggregation()).isEqualTo(Aggregation.SUM);
        assertThat(window.getQuantity()).isEqualTo(new BigDecimal("1.250000001"));
        assertThat(window.getEventCount()).isEqualTo(2);
    }

    @Test
    void shouldCountEventsWhateverTheirQuantity() {
        driver.meter("logins", Aggregation.COUNT, null, false);
        driver.send(event("e1", "cus_1", "logins", "7", T10_05));
        driver.send(event("e2", "cus_1", "logins", "0", T10_05));
        driver.send(event("e3", "cus_1", "logins", "2.5", T10_05));

        UsageAggregate window = closeHour();

        assertThat(window.getAggregation()).isEqualTo(Aggregation.COUNT);
        assertThat(window.getQuantity()).isEqualByComparingTo("3");
    }

    @Test
    void shouldTakeTheSmallestAndTheLargestValue() {
        driver.meter("cpu", Aggregation.MIN, null, false);
        driver.meter("ram", Aggregation.MAX, "gb", false);
        driver.send(event("e1", "cus_1", "cpu", "4", T10_05));
        driver.send(event("e2", "cus_1", "cpu", "2.5", T10_05));
        driver.send(event("e3", "cus_1", "cpu", "9", T10_05));
        driver.send(event("e4", "cus_1", "ram", T10_05, Map.of("gb", "16")));
        driver.send(event("e5", "cus_1", "ram", T10_05, Map.of("gb", "64")));
        driver.send(event("e6", "cus_1", "ram", T10_05, Map.of("gb", "32")));

        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getFeature(), kv -> kv.value.getAggregation(), kv -> kv.value
                        .getQuantity()
                        .toPlainString())
                .containsExactlyInAnyOrder(
                        tuple("cpu", Aggregation.MIN, "2.500000000"), tuple("ram", Aggregation.MAX, "64.000000000"));
    }

    @Test
    void shouldTakeTheValueOfTheLatestEventTiesBrokenByEventId() {
        driver.meter("seats", Aggregation.LATEST, null, false);
        driver.send(event("b", "cus_1", "seats", "5", T10_05.plusSeconds(600)));
        driver.send(event("a", "cus_1", "seats", "3", T10_05.plusSeconds(600)));
        driver.send(event("c", "cus_1", "seats", "8", T10_05));

        UsageAggregate window = closeHour();

        assertThat(window.getAggregation()).isEqualTo(Aggregation.LATEST);
        assertThat(window.getQuantity()).isEqualByComparingTo("5");
        assertThat(window.getLatestAt()).isEqualTo(T10_05.plusSeconds(600));
        assertThat(window.getEventCount()).isEqualTo(3);
    }

    @Test
    void shouldCountDistinctValuesOfAPropertyAndListThemSorted() {
        driver.meter("active_users", Aggregation.UNIQUE_COUNT, "user", false);
        driver.send(event("e1", "cus_1", "active_users", T10_05, Map.of("user", "bob")));
        driver.send(event("e2", "cus_1", "active_users", T10_05, Map.of("user", "alice")));
        driver.send(event("e3", "cus_1", "active_users", T10_05, Map.of("user", "bob")));

        UsageAggregate window = closeHour();

        assertThat(window.getAggregation()).isEqualTo(Aggregation.UNIQUE_COUNT);
        assertThat(window.getQuantity()).isEqualByComparingTo("2");
        assertThat(window.getValuesAdded()).containsExactly("alice", "bob");
        assertThat(window.getValuesRemoved()).isEmpty();
        assertThat(window.getParts()).isEqualTo(1);
        assertThat(window.getEventCount()).isEqualTo(3);
    }

    @Test
    void shouldSumQuantitiesOfAFeatureWithNoActiveMeter() {
        driver.meter("old", Aggregation.MAX, null, true);
        driver.send(event("e1", "cus_1", "unknown", "2", T10_05));
        driver.send(event("e2", "cus_1", "unknown", "3", T10_05));
        driver.send(event("e3", "cus_1", "old", "2", T10_05));
        driver.send(event("e4", "cus_1", "old", "3", T10_05));

        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.aggregates())
                .extracting(
                        kv -> kv.value.getAggregation(),
                        kv -> kv.value.getQuantity().intValue())
                .containsExactly(tuple(Aggregation.SUM, 5), tuple(Aggregation.SUM, 5));
    }

    @Test
    void shouldApplyAMeterAddedWhileRunningToTheNextWindowWithoutRestart() {
        driver.send(event("e1", "cus_1", "gpu", "2", T10_05));
        driver.meter("gpu", Aggregation.MAX, null, false);
        // the open window keeps the aggregation it was opened with
        driver.send(event("e2", "cus_1", "gpu", "3", T10_05));
        driver.send(event("e3", "cus_1", "gpu", "4", T10_05.plus(Duration.ofHours(1))));
        driver.send(event("e4", "cus_1", "gpu", "1", T10_05.plus(Duration.ofHours(1))));

        driver.advance(Duration.ofMinutes(130));

        assertThat(driver.aggregates())
                .extracting(
                        kv -> kv.value.getAggregation(),
                        kv -> kv.value.getQuantity().intValue())
                .containsExactly(tuple(Aggregation.SUM, 5), tuple(Aggregation.MAX, 4));
    }

    @Test
    void shouldRestateAClosedWindowUnderItsOwnAggregationAfterItsMeterChanged() {
        driver.meter("gpu", Aggregation.MAX, null, false);
        driver.send(event("e1", "cus_1", "gpu", "2", T10_05));
        driver.advance(Duration.ofMinutes(70));
        driver.meter("gpu", Aggregation.MAX, null, true);
        driver.meter("gpu", Aggregation.SUM, null, false);

        driver.send(event("late", "cus_1", "gpu", "7", T10_05));

        assertThat(driver.corrections())
                .extracting(
                        kv -> kv.value.getAggregation(),
                        kv -> kv.value.getQuantity().intValue())
                .containsExactly(tuple(Aggregation.MAX, 7));
    }

    @Test
    void shouldRejectAnEventWhosePropertyIsMissingOrNotADecimal() {
        driver.meter("tokens", Aggregation.SUM, "count", false);
        driver.send(event("missing", "cus_1", "tokens", T10_05, Map.of()));
        driver.send(event("text", "cus_1", "tokens", T10_05, Map.of("count", "many")));
        driver.send(event("precise", "cus_1", "tokens", T10_05, Map.of("count", "0.0000000001")));
        driver.send(event("ok", "cus_1", "tokens", T10_05, Map.of("count", "2")));

        assertThat(driver.rejected())
                .extracting(kv ->
                        kv.value.getReason().substring(0, kv.value.getReason().indexOf(':')))
                .containsExactly("missing_property", "invalid_property", "invalid_property");
        assertThat(closeHour().getQuantity()).isEqualByComparingTo("2");
        assertThat(driver.meterTotal("rejected-events")).isEqualTo(3.0);
    }

    @Test
    void shouldDeadLetterAValuePropertyOutsideTheDecimalBoundsInsteadOfFailing() {
        driver.meter("tokens", Aggregation.SUM, "count", false);
        // before the shared parser, "1e2147483647" threw ArithmeticException in the stream thread
        driver.send(event("huge-exponent", "cus_1", "tokens", T10_05, Map.of("count", "1e2147483647")));
        driver.send(event("tiny-exponent", "cus_1", "tokens", T10_05, Map.of("count", "1e-2147483647")));
        driver.send(event("too-large", "cus_1", "tokens", T10_05, Map.of("count", "1000000000000000")));
        driver.send(event("arabic-digits", "cus_1", "tokens", T10_05, Map.of("count", "\u0661\u0662")));
        driver.send(event("spaces", "cus_1", "tokens", T10_05, Map.of("count", " 2 ")));
        driver.send(event("ok", "cus_1", "tokens", T10_05, Map.of("count", "2e3")));

        assertThat(driver.rejected())
                .extracting(kv -> kv.value.getReason())
                .hasSize(5)
                .allSatisfy(reason -> assertThat(reason).startsWith("invalid_property: property 'count'"));
        assertThat(closeHour().getQuantity()).isEqualByComparingTo("2000");
    }

    @Test
    void shouldCountEveryDistinctValueOfAWindowOfAnySizeAndStateItInParts() {
        driver.meter("active_users", Aggregation.UNIQUE_COUNT, "user", false);
        // one more than the bound windows had while they were kept whole (10,000)
        int users = 10_001;
        for (int i = 0; i < users; i++) {
            // 30 bytes each, 32 with framing: 10,001 of them need two parts of 256 KiB
            driver.send(event("e" + i, "cus_1", "active_users", T10_05, Map.of("user", user(i))));
        }
        driver.send(event("again", "cus_1", "active_users", T10_05, Map.of("user", user(7))));

        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.rejected()).isEmpty();
        List<UsageAggregate> parts =
                driver.aggregates().stream().map(kv -> kv.value).toList();
        assertThat(parts).hasSize(2);
        String statement = parts.getFirst().getAggregateId();
        assertThat(parts).extracting(UsageAggregate::getAggregateId).containsExactly(statement, statement + "/1");
        assertThat(parts).allSatisfy(part -> {
            assertThat(part.getParts()).isEqualTo(2);
            assertThat(part.getRevision()).isZero();
            assertThat(part.getQuantity()).isEqualByComparingTo(String.valueOf(users));
            assertThat(part.getEventCount()).isEqualTo(users + 1);
            assertThat(part.getValuesAdded().size() * 32).isLessThanOrEqualTo(Aggregates.PART_BYTES);
        });
        assertThat(parts).extracting(UsageAggregate::getPart).containsExactly(0, 1);
        List<String> values =
                parts.stream().flatMap(p -> p.getValuesAdded().stream()).toList();
        assertThat(values).hasSize(users).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void shouldRestateOnlyTheValueALateEventOrARetractionChanges() {
        driver.meter("active_users", Aggregation.UNIQUE_COUNT, "user", false);
        driver.send(event("e1", "cus_1", "active_users", T10_05, Map.of("user", "ann")));
        driver.send(event("e2", "cus_1", "active_users", T10_05, Map.of("user", "bo")));
        driver.advance(Duration.ofMinutes(70));

        driver.send(event("late1", "cus_1", "active_users", T10_05, Map.of("user", "cy")));
        driver.send(event("late2", "cus_1", "active_users", T10_05, Map.of("user", "ann")));
        driver.send(MeteringDriver.retraction("r1", "cus_1", "active_users", "e2"));
        driver.send(MeteringDriver.retraction("r2", "cus_1", "active_users", "late2"));

        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getValuesAdded(), kv -> kv.value.getValuesRemoved())
                .containsExactly(tuple(List.of("ann", "bo"), List.of()));
        assertThat(driver.corrections())
                .extracting(
                        kv -> kv.value.getRevision(),
                        kv -> kv.value.getQuantity().intValue(),
                        kv -> kv.value.getValuesAdded(),
                        kv -> kv.value.getValuesRemoved())
                .containsExactly(
                        tuple(1L, 3, List.of("cy"), List.of()),
                        // "ann" was held already, and is still held by e1 after r2
                        tuple(2L, 3, List.of(), List.of()),
                        tuple(3L, 2, List.of(), List.of("bo")),
                        tuple(4L, 2, List.of(), List.of()));
    }

    @Test
    void shouldDeleteAWindowsEntriesOnlyOnceItsStoreNoLongerKeepsIt() {
        driver.meter("active_users", Aggregation.UNIQUE_COUNT, "user", false);
        driver.send(event("e1", "cus_1", "active_users", T10_05, Map.of("user", "ann")));
        driver.send(event("e2", "cus_1", "active_users", T10_05, Map.of("user", "bo")));
        assertThat(driver.windowEntries()).isEqualTo(6);

        // live minutes are kept two days, billing windows the correction horizon (35 days 1 hour
        // 10 minutes), live hours 40 days: each past its own, plus its length
        driver.advance(Duration.ofDays(2).plusMinutes(10));
        assertThat(driver.windowEntries()).isEqualTo(4);
        driver.advance(Duration.ofDays(33));
        assertThat(driver.windowEntries()).isEqualTo(4);
        driver.advance(Duration.ofHours(3));
        assertThat(driver.windowEntries()).isEqualTo(2);
        driver.advance(Duration.ofDays(4));
        assertThat(driver.windowEntries()).isEqualTo(2);
        driver.advance(Duration.ofDays(1));
        assertThat(driver.windowEntries()).isZero();
    }

    @Test
    void shouldKeepAWindowsHeaderTheSameSizeWhateverItsValues() {
        driver.meter("active_users", Aggregation.UNIQUE_COUNT, "user", false);
        for (int i = 0; i < 1_000; i++) {
            driver.send(event("e" + i, "cus_1", "active_users", T10_05, Map.of("user", "user-" + i)));
        }

        assertThat(driver.openWindowBytes()).singleElement().satisfies(bytes -> assertThat(bytes.length)
                .isLessThan(64));
        assertThat(driver.windowEntries()).isEqualTo(1_000 * 3); // billing window, minute and hour
    }

    private static String user(int i) {
        return String.format("user-%025d", i);
    }

    private UsageAggregate closeHour() {
        driver.advance(Duration.ofMinutes(70));
        return driver.aggregates().getFirst().value;
    }
}
