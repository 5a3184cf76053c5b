package dev.tally.metering.topology;

import static dev.tally.metering.topology.MeteringDriver.START;
import static dev.tally.metering.topology.MeteringDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.metering.MeteringSettings;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.RejectedRecord;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.topic.Keys;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metering topology's behaviour, with 1-hour windows and 10 minutes of grace (the defaults).
 *
 * <pre>
 * wall clock  10:00 ─────────── 11:00 ── 11:10 (end + grace: the 10:00 window closes) ──▶
 * events      occurred 10:00..10:59 go to window [10:00, 11:00)
 * later       an event of 10:xx restates the closed window on usage-corrections (revision 1, 2, …)
 * </pre>
 */
class MeteringTopologyTest {

    private static final Instant T10_05 = START.plus(Duration.ofMinutes(5));
    private static final long WINDOW_10 = START.toEpochMilli();

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
    void shouldSumQuantityExactlyAndCountEventsOfAWindow() {
        driver.send(event("e1", "cus_1", "ai_call", "0.1", T10_05));
        driver.send(event("e2", "cus_1", "ai_call", "0.2", T10_05.plusSeconds(60)));
        driver.send(event("e3", "cus_1", "ai_call", "3", T10_05.plusSeconds(3000)));

        driver.advance(Duration.ofMinutes(70));

        List<KeyValue<String, UsageAggregate>> closed = driver.aggregates();
        assertThat(closed).hasSize(1);
        UsageAggregate window = closed.getFirst().value;
        assertThat(window.getQuantity()).isEqualTo(new BigDecimal("3.300000000"));
        assertThat(window.getEventCount()).isEqualTo(3);
        assertThat(window.getKind()).isEqualTo(AggregateKind.WINDOW);
        assertThat(window.getClosed()).isTrue();
        assertThat(window.getWindowStart()).isEqualTo(START);
        assertThat(window.getWindowEnd()).isEqualTo(START.plus(Duration.ofHours(1)));
        String key = Keys.window("org_1", true, "cus_1", "ai_call", WINDOW_10);
        assertThat(closed.getFirst().key).isEqualTo(key);
        assertThat(window.getAggregateId()).isEqualTo(key);
    }

    @Test
    void shouldNotCountADuplicateEvent() {
        driver.send(event("e1", "cus_1", "ai_call", "5", T10_05));
        driver.send(event("e1", "cus_1", "ai_call", "5", T10_05));
        driver.send(event("e2", "cus_1", "ai_call", "1", T10_05));

        driver.advance(Duration.ofMinutes(70));

        UsageAggregate window = driver.aggregates().getFirst().value;
        assertThat(window.getQuantity()).isEqualByComparingTo("6");
        assertThat(window.getEventCount()).isEqualTo(2);
        assertThat(driver.meterTotal("duplicate-events")).isEqualTo(1.0);
        assertThat(driver.meterTotal("closed-windows")).isEqualTo(1.0);
    }

    @Test
    void shouldCountOneEventIdUnderTwoCustomersAsTwoEventsOnOnePartition() {
        // the test driver has one partition: both customers meet in one dedup store
        driver.send(event("e1", "cus_1", "ai_call", "5", T10_05));
        driver.send(event("e1", "cus_2", "ai_call", "7", T10_05));
        driver.send(event("e1", "cus_1", "ai_call", "5", T10_05));

        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.aggregates())
                .extracting(
                        kv -> kv.value.getCustomerId(),
                        kv -> kv.value.getQuantity().intValue())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("cus_1", 5),
                        org.assertj.core.groups.Tuple.tuple("cus_2", 7));
        assertThat(driver.meterTotal("duplicate-events")).isEqualTo(1.0);
    }

    @Test
    void shouldRefuseADuplicateArrivingAfterItsWindowClosed() {
        driver.send(event("e1", "cus_1", "ai_call", "5", T10_05));
        driver.advance(Duration.ofMinutes(70));
        driver.send(event("e1", "cus_1", "ai_call", "5", T10_05));
        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.aggregates()).hasSize(1);
        assertThat(driver.corrections()).isEmpty();
    }

    @Test
    void shouldForgetEventIdsOnlyAfterTheDedupHorizon() {
        driver.send(event("e1", "cus_1", "ai_call", "5", T10_05));
        driver.advance(Duration.ofDays(34));
        driver.send(event("e1", "cus_1", "ai_call", "5", T10_05));
        assertThat(driver.corrections()).isEmpty();

        // 35 days after it arrived the id is gone (the store is bounded): the same event counts again
        driver.advance(Duration.ofDays(1).plusMinutes(5));
        driver.send(event("e2", "cus_2", "ai_call", "1", driver.now()));
        driver.send(event("e1", "cus_1", "ai_call", "5", T10_05));

        assertThat(driver.corrections())
                .extracting(
                        kv -> kv.value.getRevision(),
                        kv -> kv.value.getQuantity().intValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 10));
    }

    @Test
    void shouldKeepWindowOpenUntilEndPlusGraceByWallClock() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));

        driver.advance(Duration.ofMinutes(69));
        assertThat(driver.aggregates()).isEmpty();

        driver.advance(Duration.ofMinutes(1));
        assertThat(driver.aggregates()).hasSize(1);
    }

    @Test
    void shouldEmitEachClosedWindowOnlyOnce() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.advance(Duration.ofMinutes(70));
        driver.advance(Duration.ofMinutes(1));
        driver.advance(Duration.ofHours(2));

        assertThat(driver.aggregates()).hasSize(1);
    }

    @Test
    void shouldCloseWindowWithNoFurtherEventsOnThePartition() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        // nothing else arrives: stream time stays at 10:05, only the wall clock moves
        driver.advance(Duration.ofMinutes(71));

        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getEventCount())
                .containsExactly(1L);
    }

    @Test
    void shouldRestateTheWholeClosedWindowForEachLateEvent() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.advance(Duration.ofMinutes(70));
        driver.send(event("late", "cus_1", "ai_call", "2.5", T10_05.plusSeconds(120)));
        driver.send(event("later", "cus_1", "ai_call", "0.5", T10_05.plusSeconds(180)));
        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.aggregates()).hasSize(1);
        List<KeyValue<String, UsageAggregate>> corrections = driver.corrections();
        assertThat(corrections).hasSize(2);
        String window = Keys.window("org_1", true, "cus_1", "ai_call", WINDOW_10);
        UsageAggregate first = corrections.getFirst().value;
        assertThat(corrections.getFirst().key).isEqualTo(Keys.customer("org_1", "cus_1"));
        assertThat(first.getKind()).isEqualTo(AggregateKind.CORRECTION);
        assertThat(first.getRevision()).isEqualTo(1);
        assertThat(first.getAggregateId()).isEqualTo(window + "#1");
        assertThat(first.getQuantity()).isEqualTo(new BigDecimal("3.500000000"));
        assertThat(first.getEventCount()).isEqualTo(2);
        assertThat(first.getWindowStart()).isEqualTo(START);
        assertThat(first.getWindowEnd()).isEqualTo(START.plus(Duration.ofHours(1)));
        assertThat(first.getClosed()).isTrue();
        assertThat(first.getAggregation()).isEqualTo(Aggregation.SUM);
        UsageAggregate second = corrections.get(1).value;
        assertThat(second.getRevision()).isEqualTo(2);
        assertThat(second.getAggregateId()).isEqualTo(window + "#2");
        assertThat(second.getQuantity()).isEqualTo(new BigDecimal("4.000000000"));
        assertThat(second.getEventCount()).isEqualTo(3);
        assertThat(driver.meterTotal("late-events")).isEqualTo(2.0);
        assertThat(driver.meterTotal("restatements")).isEqualTo(2.0);
    }

    @Test
    void shouldCloseADueWindowBeforeRestatingItWhenALateEventBeatsTheClosingRun() {
        driver.close();
        // windows are closed every hour only: the late event arrives before the closing run
        driver = new MeteringDriver(new MeteringSettings(
                "tally-metering",
                Duration.ofHours(1),
                Duration.ofMinutes(10),
                Duration.ofDays(35),
                Duration.ofHours(1),
                1,
                Duration.ofSeconds(1),
                "",
                64L << 20,
                10L << 20,
                Duration.ofDays(40),
                "",
                0,
                Duration.ofSeconds(45)));
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.advance(Duration.ofMinutes(75));
        driver.send(event("late", "cus_1", "ai_call", "2", T10_05));

        assertThat(driver.aggregates())
                .extracting(
                        kv -> kv.value.getRevision(),
                        kv -> kv.value.getQuantity().intValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 1));
        assertThat(driver.corrections())
                .extracting(
                        kv -> kv.value.getRevision(),
                        kv -> kv.value.getQuantity().intValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 3));
    }

    @Test
    void shouldAcceptOutOfOrderEventWithinGrace() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.advance(Duration.ofMinutes(65));
        driver.send(event("within-grace", "cus_1", "ai_call", "1", T10_05));
        driver.advance(Duration.ofMinutes(5));

        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getEventCount())
                .containsExactly(2L);
        assertThat(driver.corrections()).isEmpty();
    }

    @Test
    void shouldStateALateEventIntoAnEmptyClosedWindowAsRevisionZeroCorrection() {
        driver.send(event("backdated", "cus_1", "ai_call", "4", START.minus(Duration.ofDays(2))));

        List<KeyValue<String, UsageAggregate>> corrections = driver.corrections();
        assertThat(corrections).singleElement().satisfies(kv -> {
            assertThat(kv.value.getKind()).isEqualTo(AggregateKind.CORRECTION);
            assertThat(kv.value.getRevision()).isZero();
            assertThat(kv.value.getAggregateId())
                    .isEqualTo(Keys.window(
                            "org_1",
                            true,
                            "cus_1",
                            "ai_call",
                            START.minus(Duration.ofDays(2)).toEpochMilli()));
            assertThat(kv.value.getQuantity()).isEqualTo(new BigDecimal("4.000000000"));
        });
        driver.advance(Duration.ofHours(2));
        assertThat(driver.aggregates()).isEmpty();

        driver.send(event("backdated-2", "cus_1", "ai_call", "1", START.minus(Duration.ofDays(2))));
        assertThat(driver.corrections())
                .extracting(
                        kv -> kv.value.getRevision(),
                        kv -> kv.value.getQuantity().intValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 5));
    }

    @Test
    void shouldRejectAnEventOlderThanTheCorrectionHorizon() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.advance(Duration.ofDays(36));
        driver.send(event("ancient", "cus_1", "ai_call", "1", T10_05));

        assertThat(driver.rejected())
                .extracting(kv -> kv.value.getReason())
                .singleElement()
                .asString()
                .startsWith("beyond_correction_horizon: ");
        assertThat(driver.aggregates()).hasSize(1);
        assertThat(driver.corrections()).isEmpty();
    }

    @Test
    void shouldMoveTheFinalityWatermarkOnlyForwardByTheWallClock() {
        assertThat(driver.finalThrough()).isNull();
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.finalThrough())
                .isEqualTo(START.plus(Duration.ofMinutes(60)).toEpochMilli());
        assertThat(driver.aggregates()).singleElement().satisfies(kv -> assertThat(kv.value.getClosed())
                .isTrue());
        driver.advance(Duration.ofMinutes(30));
        assertThat(driver.finalThrough())
                .isEqualTo(START.plus(Duration.ofMinutes(90)).toEpochMilli());
    }

    @Test
    void shouldPublishEachAdvanceOfTheWatermarkOnUsageFinality() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.advance(Duration.ofMinutes(70));

        Instant elevenTen = START.plus(Duration.ofMinutes(70));
        assertThat(driver.aggregates()).hasSize(1);
        assertThat(driver.finalityRecords()).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo(Keys.finality(0));
            assertThat(kv.value.getPartition()).isZero();
            assertThat(kv.value.getClosedThrough()).isEqualTo(START.plus(Duration.ofMinutes(60)));
            assertThat(kv.value.getProducedAt()).isEqualTo(elevenTen);
        });

        // a late event finds the watermark where it is: nothing new to publish
        driver.send(event("late", "cus_1", "ai_call", "1", T10_05));
        assertThat(driver.finalityRecords()).isEmpty();

        driver.advance(Duration.ofMinutes(30));
        assertThat(driver.finalityRecords())
                .extracting(kv -> kv.value.getClosedThrough())
                .containsExactly(START.plus(Duration.ofMinutes(90)));
    }

    @Test
    void shouldNeverMixTestAndLiveUsage() {
        driver.send(event("e1", "org_1", true, "cus_1", "ai_call", "1", T10_05));
        driver.send(event("e2", "org_1", false, "cus_1", "ai_call", "10", T10_05));
        // the same event id in test mode is another event, not a duplicate of the live one
        driver.send(event("e1", "org_1", false, "cus_1", "ai_call", "100", T10_05));

        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.aggregates())
                .extracting(kv -> kv.key, kv -> kv.value.getLivemode(), kv -> kv.value
                        .getQuantity()
                        .intValue())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                Keys.window("org_1", true, "cus_1", "ai_call", WINDOW_10), true, 1),
                        org.assertj.core.groups.Tuple.tuple(
                                Keys.window("org_1", false, "cus_1", "ai_call", WINDOW_10), false, 110));
    }

    @Test
    void shouldKeepOrganizationsCustomersFeaturesAndWindowsApart() {
        driver.send(event("e1", "org_1", true, "cus_1", "ai_call", "1", T10_05));
        driver.send(event("e1", "org_2", true, "cus_1", "ai_call", "2", T10_05));
        driver.send(event("e2", "org_1", true, "cus_2", "ai_call", "3", T10_05));
        driver.send(event("e3", "org_1", true, "cus_1", "storage", "4", T10_05));
        driver.send(event("e4", "org_1", true, "cus_1", "ai_call", "5", T10_05.plus(Duration.ofHours(1))));

        driver.advance(Duration.ofMinutes(70));
        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getQuantity().intValue())
                .containsExactlyInAnyOrder(1, 2, 3, 4);

        driver.advance(Duration.ofHours(1));
        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getQuantity().intValue())
                .containsExactly(5);
    }

    @Test
    void shouldSendUndeserializableRecordToRejectedAndKeepRunning() {
        driver.close();
        driver = new MeteringDriver(MeteringSettings.defaults(), StreamsConfig.AT_LEAST_ONCE);
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        driver.sendRaw("org_1|cus_1".getBytes(StandardCharsets.UTF_8), garbage);
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.advance(Duration.ofMinutes(70));

        List<KeyValue<String, RejectedRecord>> rejected = driver.rejected();
        assertThat(rejected).hasSize(1);
        RejectedRecord letter = rejected.getFirst().value;
        assertThat(letter.getSourceTopic())
                .isEqualTo(driver.topics().usageEvents().name());
        assertThat(letter.getOffset()).isZero();
        assertThat(letter.getReason()).startsWith("undeserializable: ");
        assertThat(StandardCharsets.UTF_8.decode(letter.getValue()).toString()).isEqualTo("not avro");
        assertThat(driver.aggregates()).hasSize(1);
    }

    @Test
    void shouldRejectNegativeQuantity() {
        driver.send(event("neg", "cus_1", "ai_call", "-1", T10_05));
        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.rejected())
                .extracting(kv -> kv.value.getReason())
                .containsExactly("invalid: quantity must be zero or positive");
        assertThat(driver.meterTotal("rejected-events")).isEqualTo(1.0);
        assertThat(driver.aggregates()).isEmpty();
    }

    @Test
    void shouldRejectIdentifiersBillingRefusesAndQuantitiesPastTheBound() {
        driver.send(event("slash", "acct/42", "ai_call", "1", T10_05));
        driver.send(event("long", "c".repeat(200), "ai_call", "1", T10_05));
        driver.send(event("feature", "cus_1", "ai call", "1", T10_05));
        driver.send(event("huge", "cus_1", "ai_call", "1000000000000000", T10_05));
        driver.send(event("ok", "user+tag@example.com", "ai_call", "999999999999999", T10_05));
        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.rejected())
                .extracting(kv -> kv.value.getReason())
                .containsExactly(
                        "invalid: customerId may contain only ASCII letters, digits and ._:@+=~-",
                        "invalid: customerId must be 1 to 128 characters long",
                        "invalid: feature may contain only ASCII letters, digits and ._:-",
                        "invalid: quantity must be below 10^15");
        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getCustomerId())
                .containsExactly("user+tag@example.com");
    }
}
