package dev.tally.metering.topology;

import static dev.tally.metering.topology.MeteringDriver.START;
import static dev.tally.metering.topology.MeteringDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

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
                        org.assertj.core.groups.Tuple.tuple("cpu", Aggregation.MIN, "2.500000000"),
                        org.assertj.core.groups.Tuple.tuple("ram", Aggregation.MAX, "64.000000000"));
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
        assertThat(window.getDistinctValues()).containsExactly("alice", "bob");
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
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Aggregation.SUM, 5),
                        org.assertj.core.groups.Tuple.tuple(Aggregation.SUM, 5));
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
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Aggregation.SUM, 5),
                        org.assertj.core.groups.Tuple.tuple(Aggregation.MAX, 4));
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
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Aggregation.MAX, 7));
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
    void shouldRejectAnEventBeyondTheDistinctBoundAndCountIt() {
        driver.close();
        driver = new MeteringDriver(MeteringSettings.defaults().withMaxDistinctPerWindow(2));
        driver.meter("active_users", Aggregation.UNIQUE_COUNT, "user", false);
        driver.send(event("e1", "cus_1", "active_users", T10_05, Map.of("user", "a")));
        driver.send(event("e2", "cus_1", "active_users", T10_05, Map.of("user", "b")));
        driver.send(event("e3", "cus_1", "active_users", T10_05, Map.of("user", "c")));
        // a value already held takes no room
        driver.send(event("e4", "cus_1", "active_users", T10_05, Map.of("user", "a")));

        List<String> reasons =
                driver.rejected().stream().map(kv -> kv.value.getReason()).toList();
        assertThat(reasons).singleElement().asString().startsWith("distinct_limit_exceeded: ");
        assertThat(driver.meterTotal("distinct-limit-rejections")).isEqualTo(1.0);
        UsageAggregate window = closeHour();
        assertThat(window.getDistinctValues()).containsExactly("a", "b");
        assertThat(window.getEventCount()).isEqualTo(3);
    }

    private UsageAggregate closeHour() {
        driver.advance(Duration.ofMinutes(70));
        return driver.aggregates().getFirst().value;
    }
}
