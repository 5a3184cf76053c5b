package dev.tally.metering.topology;

import static dev.tally.metering.topology.MeteringDriver.START;
import static dev.tally.metering.topology.MeteringDriver.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tally.metering.MeteringSettings;
import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live view the query API reads: minute and hour windows, updated per event, late ones included. */
class LiveUsageStoresTest {

    private static final Instant T10_05 = START.plus(Duration.ofMinutes(5));
    private static final long DAY_START = START.minus(Duration.ofHours(10)).toEpochMilli();
    private static final long DAY_END = DAY_START + Duration.ofDays(1).toMillis();

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
    void shouldShowUsageOfOpenWindowsAtOnce() {
        driver.send(event("e1", "cus_1", "ai_call", "1.5", T10_05));
        driver.send(event("e2", "cus_1", "ai_call", "2", T10_05.plusSeconds(30)));

        List<UsageCell> hours = hours("cus_1", "ai_call");

        assertThat(hours)
                .extracting(UsageCell::windowStart, UsageCell::quantity, UsageCell::eventCount)
                .containsExactly(tuple(START.toEpochMilli(), new BigDecimal("3.500000000"), 2L));
    }

    @Test
    void shouldKeepMinuteWindows() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.send(event("e2", "cus_1", "ai_call", "1", T10_05.plusSeconds(30)));
        driver.send(event("e3", "cus_1", "ai_call", "1", T10_05.plusSeconds(60)));

        List<UsageCell> minutes = LiveUsageStores.read(
                driver.liveStore(MeteringTopology.USAGE_BY_MINUTE_STORE),
                "org_1",
                true,
                "cus_1",
                "ai_call",
                DAY_START,
                DAY_END);

        assertThat(minutes)
                .extracting(UsageCell::windowStart, UsageCell::eventCount)
                .containsExactly(
                        tuple(T10_05.toEpochMilli(), 2L),
                        tuple(T10_05.plusSeconds(60).toEpochMilli(), 1L));
    }

    @Test
    void shouldIncludeLateEventsSoTheLiveTotalEqualsWhatIsBilled() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.advance(Duration.ofMinutes(70));
        driver.send(event("late", "cus_1", "ai_call", "2", T10_05));

        assertThat(hours("cus_1", "ai_call"))
                .extracting(UsageCell::quantity)
                .containsExactly(new BigDecimal("3.000000000"));
        assertThat(driver.finalThrough())
                .isEqualTo(START.plus(Duration.ofMinutes(60)).toEpochMilli());
    }

    @Test
    void shouldListEveryFeatureOfOneCustomerOnly() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.send(event("e2", "cus_1", "storage", "2", T10_05));
        driver.send(event("e3", "cus_10", "ai_call", "3", T10_05));
        driver.send(event("e4", "org_1", false, "cus_1", "ai_call", "4", T10_05));

        assertThat(hours("cus_1", null))
                .extracting(UsageCell::feature, c -> c.quantity().intValue())
                .containsExactly(tuple("ai_call", 1), tuple("storage", 2));
    }

    @Test
    void shouldListEveryCustomerOfTheOrganizationAndModeOnly() {
        driver.send(event("e1", "cus_2", "ai_call", "2", T10_05));
        driver.send(event("e2", "cus_1", "ai_call", "1", T10_05));
        driver.send(event("e3", "cus_1", "storage", "3", T10_05));
        driver.send(event("e4", "org_10", true, "cus_1", "ai_call", "4", T10_05));
        driver.send(event("e5", "org_1", false, "cus_1", "ai_call", "5", T10_05));

        List<UsageCell> all = LiveUsageStores.readOrganization(
                driver.liveStore(MeteringTopology.USAGE_BY_HOUR_STORE), "org_1", true, null, DAY_START, DAY_END);
        List<UsageCell> aiCalls = LiveUsageStores.readOrganization(
                driver.liveStore(MeteringTopology.USAGE_BY_HOUR_STORE), "org_1", true, "ai_call", DAY_START, DAY_END);

        assertThat(all)
                .extracting(UsageCell::customerId, UsageCell::feature, c -> c.quantity()
                        .intValue())
                .containsExactly(
                        tuple("cus_1", "ai_call", 1), tuple("cus_1", "storage", 3), tuple("cus_2", "ai_call", 2));
        assertThat(aiCalls).extracting(UsageCell::customerId).containsExactly("cus_1", "cus_2");
    }

    @Test
    void shouldNotCountADuplicateInTheLiveView() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));

        assertThat(hours("cus_1", "ai_call")).extracting(UsageCell::eventCount).containsExactly(1L);
    }

    @Test
    void shouldShowRetractionsAtOnce() {
        driver.send(event("e1", "cus_1", "ai_call", "1.5", T10_05));
        driver.send(event("e2", "cus_1", "ai_call", "2", T10_05));
        driver.send(MeteringDriver.retraction("r1", "cus_1", "ai_call", "e2"));

        assertThat(hours("cus_1", "ai_call"))
                .extracting(UsageCell::quantity, UsageCell::eventCount)
                .containsExactly(tuple(new BigDecimal("1.500000000"), 1L));
    }

    @Test
    void shouldReportEachSeriesWithItsAggregationAndDistinctValues() {
        driver.meter("users", Aggregation.UNIQUE_COUNT, "user", false);
        driver.send(event("e1", "cus_1", "users", T10_05, Map.of("user", "bo")));
        driver.send(event("e2", "cus_1", "users", T10_05, Map.of("user", "ann")));
        driver.send(event("e3", "cus_1", "ai_call", "1", T10_05));

        assertThat(hours("cus_1", null))
                .extracting(
                        UsageCell::feature,
                        UsageCell::aggregation,
                        c -> c.quantity().intValue(),
                        UsageCell::distinctValues)
                .containsExactly(
                        tuple("ai_call", Aggregation.SUM, 1, List.of()),
                        tuple("users", Aggregation.UNIQUE_COUNT, 2, List.of("ann", "bo")));
    }

    @Test
    void shouldKeepAnHourOfShorterBillingWindowsExactWithRetractions() {
        driver.close();
        driver = new MeteringDriver(MeteringSettings.defaults().withWindows(Duration.ofMinutes(5), Duration.ZERO));
        driver.meter("users", Aggregation.UNIQUE_COUNT, "user", false);
        driver.send(event("e1", "cus_1", "users", T10_05, Map.of("user", "ann")));
        driver.send(event("e2", "cus_1", "users", T10_05.plusSeconds(600), Map.of("user", "bo")));
        driver.send(event("e3", "cus_1", "users", T10_05.plusSeconds(900), Map.of("user", "ann")));
        driver.send(MeteringDriver.retraction("r1", "cus_1", "users", "e2"));

        assertThat(hours("cus_1", "users"))
                .extracting(c -> c.quantity().intValue(), UsageCell::eventCount, UsageCell::distinctValues)
                .containsExactly(tuple(1, 2L, List.of("ann")));
    }

    private List<UsageCell> hours(String customer, String feature) {
        return LiveUsageStores.read(
                driver.liveStore(MeteringTopology.USAGE_BY_HOUR_STORE),
                "org_1",
                true,
                customer,
                feature,
                DAY_START,
                DAY_END);
    }
}
