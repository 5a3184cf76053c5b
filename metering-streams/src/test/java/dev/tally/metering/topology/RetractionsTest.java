package dev.tally.metering.topology;

import static dev.tally.metering.topology.MeteringDriver.START;
import static dev.tally.metering.topology.MeteringDriver.event;
import static dev.tally.metering.topology.MeteringDriver.retraction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tally.metering.MeteringSettings;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.topic.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retractions: an event cancelled by its id leaves its window, exactly, whether the window is still
 * open (it closes without it) or closed (it is restated whole, next revision).
 *
 * <pre>
 * wall clock  10:00 ─────────── 11:00 ── 11:10 (the 10:00 window closes) ──▶
 * </pre>
 */
class RetractionsTest {

    private static final Instant T10_05 = START.plus(Duration.ofMinutes(5));
    private static final String WINDOW_10 = Keys.window("org_1", true, "cus_1", "ai_call", START.toEpochMilli());

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
    void shouldTakeARetractedEventOutOfItsOpenWindow() {
        driver.send(event("e1", "cus_1", "ai_call", "2", T10_05));
        driver.send(event("e2", "cus_1", "ai_call", "3", T10_05));
        driver.send(retraction("r1", "cus_1", "ai_call", "e1"));

        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getQuantity().intValue(), kv -> kv.value.getEventCount())
                .containsExactly(tuple(3, 1L));
        assertThat(driver.corrections()).isEmpty();
        assertThat(driver.meterTotal("retractions")).isEqualTo(1.0);
    }

    @Test
    void shouldRestateAClosedWindowWithoutTheRetractedEvent() {
        driver.send(event("e1", "cus_1", "ai_call", "2", T10_05));
        driver.send(event("e2", "cus_1", "ai_call", "3", T10_05));
        driver.advance(Duration.ofMinutes(70));
        driver.send(retraction("r1", "cus_1", "ai_call", "e2"));

        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getQuantity().intValue())
                .containsExactly(5);
        assertThat(driver.corrections()).singleElement().satisfies(kv -> {
            UsageAggregate restated = kv.value;
            assertThat(restated.getKind()).isEqualTo(AggregateKind.CORRECTION);
            assertThat(restated.getRevision()).isEqualTo(1);
            assertThat(restated.getAggregateId()).isEqualTo(WINDOW_10 + "#1");
            assertThat(restated.getQuantity().intValue()).isEqualTo(2);
            assertThat(restated.getEventCount()).isEqualTo(1);
        });
    }

    @Test
    void shouldStateZeroForAWindowWhoseEveryEventWasRetracted() {
        driver.send(event("e1", "cus_1", "ai_call", "2", T10_05));
        driver.send(retraction("r1", "cus_1", "ai_call", "e1"));
        driver.send(event("e2", "cus_1", "ai_call", "4", T10_05));
        driver.advance(Duration.ofMinutes(70));
        driver.send(retraction("r2", "cus_1", "ai_call", "e2"));

        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getQuantity().intValue(), kv -> kv.value.getEventCount())
                .containsExactly(tuple(4, 1L));
        assertThat(driver.corrections())
                .extracting(
                        kv -> kv.value.getRevision(),
                        kv -> kv.value.getQuantity().signum(),
                        kv -> kv.value.getEventCount())
                .containsExactly(tuple(1L, 0, 0L));
    }

    @Test
    void shouldFallBackToTheNextLargestValueWhenTheMaximumIsRetractedFromAnOpenOrAClosedWindow() {
        driver.meter("gpu", Aggregation.MAX, null, false);
        driver.send(event("g1", "cus_1", "gpu", "3", T10_05));
        driver.send(event("g2", "cus_1", "gpu", "9", T10_05));
        driver.send(event("g3", "cus_1", "gpu", "7", T10_05));
        driver.send(retraction("r1", "cus_1", "gpu", "g2"));
        driver.advance(Duration.ofMinutes(70));
        driver.send(retraction("r2", "cus_1", "gpu", "g3"));

        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getQuantity().intValue())
                .containsExactly(7);
        assertThat(driver.corrections())
                .extracting(
                        kv -> kv.value.getRevision(),
                        kv -> kv.value.getQuantity().intValue())
                .containsExactly(tuple(1L, 3));
    }

    @Test
    void shouldRestateTheMinimumExactlyWhenTheSmallestValueIsRetracted() {
        driver.meter("ai_call", Aggregation.MIN, null, false);
        driver.send(event("e1", "cus_1", "ai_call", "2", T10_05));
        driver.send(event("e2", "cus_1", "ai_call", "2", T10_05));
        driver.send(event("e3", "cus_1", "ai_call", "5", T10_05));
        driver.advance(Duration.ofMinutes(70));
        driver.send(retraction("r1", "cus_1", "ai_call", "e1"));
        driver.send(retraction("r2", "cus_1", "ai_call", "e2"));

        assertThat(driver.corrections())
                .extracting(
                        kv -> kv.value.getRevision(),
                        kv -> kv.value.getQuantity().intValue())
                .containsExactly(tuple(1L, 2), tuple(2L, 5));
    }

    @Test
    void shouldFallBackToThePreviousLatestValueAndDistinctValues() {
        driver.meter("seats", Aggregation.LATEST, null, false);
        driver.meter("users", Aggregation.UNIQUE_COUNT, "user", false);
        driver.send(event("s1", "cus_1", "seats", "3", T10_05));
        driver.send(event("s2", "cus_1", "seats", "9", T10_05.plusSeconds(60)));
        driver.send(event("u1", "cus_1", "users", T10_05, Map.of("user", "ann")));
        driver.send(event("u2", "cus_1", "users", T10_05, Map.of("user", "bo")));
        driver.send(retraction("r1", "cus_1", "seats", "s2"));
        driver.send(retraction("r2", "cus_1", "users", "u2"));

        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.aggregates())
                .extracting(
                        kv -> kv.value.getFeature(),
                        kv -> kv.value.getQuantity().intValue(),
                        kv -> kv.value.getValuesAdded())
                .containsExactlyInAnyOrder(
                        tuple("seats", 3, java.util.List.of()), tuple("users", 1, java.util.List.of("ann")));
    }

    @Test
    void shouldRejectARetractionOfAnUnknownEvent() {
        driver.send(retraction("r1", "cus_1", "ai_call", "never-sent"));

        assertThat(driver.rejected())
                .extracting(kv -> kv.value.getReason())
                .singleElement()
                .asString()
                .startsWith("retraction_target_unknown: ");
    }

    @Test
    void shouldRejectARetractionOfAnotherFeaturesEventOrOfARetraction() {
        driver.send(event("e1", "cus_1", "ai_call", "2", T10_05));
        driver.send(retraction("r1", "cus_1", "storage", "e1"));
        driver.send(retraction("r3", "cus_1", "ai_call", "e1"));
        driver.send(retraction("r4", "cus_1", "ai_call", "r3"));

        assertThat(driver.rejected())
                .extracting(kv ->
                        kv.value.getReason().substring(0, kv.value.getReason().indexOf(':')))
                .containsExactly("retraction_mismatch", "retraction_mismatch");
    }

    @Test
    void shouldNotFindAnotherCustomersEventAsARetractionTarget() {
        // the event identity holds the customer: cus_2's "e1" is another event, never sent
        driver.send(event("e1", "cus_1", "ai_call", "2", T10_05));
        driver.send(retraction("r1", "cus_2", "ai_call", "e1"));

        driver.advance(Duration.ofMinutes(70));

        assertThat(driver.rejected())
                .extracting(kv -> kv.value.getReason())
                .singleElement()
                .asString()
                .startsWith("retraction_target_unknown: ");
        assertThat(driver.aggregates())
                .extracting(kv -> kv.value.getQuantity().intValue())
                .containsExactly(2);
    }

    @Test
    void shouldCountASecondRetractionOfTheSameEventAsADuplicate() {
        driver.send(event("e1", "cus_1", "ai_call", "2", T10_05));
        driver.send(event("e2", "cus_1", "ai_call", "3", T10_05));
        driver.advance(Duration.ofMinutes(70));
        driver.send(retraction("r1", "cus_1", "ai_call", "e1"));
        driver.send(retraction("r1", "cus_1", "ai_call", "e1"));
        driver.send(retraction("r2", "cus_1", "ai_call", "e1"));

        assertThat(driver.corrections())
                .extracting(kv -> kv.value.getRevision())
                .containsExactly(1L);
        assertThat(driver.rejected()).isEmpty();
        assertThat(driver.meterTotal("duplicate-events")).isEqualTo(2.0);
    }

    @Test
    void shouldRetractALateEventFromTheWindowItRestated() {
        driver.send(event("e1", "cus_1", "ai_call", "1", T10_05));
        driver.advance(Duration.ofMinutes(70));
        driver.send(event("late", "cus_1", "ai_call", "4", T10_05));
        driver.send(retraction("r1", "cus_1", "ai_call", "late"));

        assertThat(driver.corrections())
                .extracting(
                        kv -> kv.value.getRevision(),
                        kv -> kv.value.getQuantity().intValue())
                .containsExactly(tuple(1L, 5), tuple(2L, 1));
    }
}
