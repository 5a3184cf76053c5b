package dev.tally.metering.topology;

import static dev.tally.metering.topology.MeteringDriver.START;
import static dev.tally.metering.topology.MeteringDriver.event;
import static dev.tally.metering.topology.MeteringDriver.retraction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tally.metering.MeteringSettings;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every event the processor sends to usage-rejected is also kept, under its organization, mode and
 * customer, for its client to read back, and counted by reason.
 */
class RejectedEventsTest {

    private static final Instant T10_05 = START.plus(Duration.ofMinutes(5));
    private static final long EVER = Long.MAX_VALUE;

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
    void shouldKeepEveryAsynchronousRejectionForItsCustomerWithItsReason() {
        driver.meter("users", Aggregation.UNIQUE_COUNT, "user", false);
        driver.meter("tokens", Aggregation.SUM, "count", false);
        driver.send(event("e1", "cus_1", "ai_call", "2", T10_05));
        driver.send(retraction("r1", "cus_1", "ai_call", "never-sent"));
        driver.advance(Duration.ofMillis(1));
        driver.send(retraction("r2", "cus_1", "storage", "e1"));
        driver.send(retraction("r3", "cus_1", "ai_call", "r2"));
        driver.send(event("u1", "cus_1", "users", T10_05, Map.of("user", "ann")));
        driver.send(event("u2", "cus_1", "users", T10_05, Map.of("name", "bob")));
        driver.send(event("t1", "cus_2", "tokens", T10_05, Map.of("count", "1e2147483647")));

        RejectedEventsStore.Page cus1 = read("cus_1", 100);
        assertThat(cus1.events())
                .extracting(
                        RejectedEvent::eventId,
                        RejectedEvent::customerId,
                        RejectedEvent::feature,
                        RejectedEvent::reason)
                .containsExactly(
                        tuple("r1", "cus_1", "ai_call", "retraction_target_unknown"),
                        tuple("r2", "cus_1", "storage", "retraction_mismatch"),
                        tuple("r3", "cus_1", "ai_call", "retraction_target_unknown"),
                        tuple("u2", "cus_1", "users", "missing_property"));
        assertThat(cus1.hasMore()).isFalse();
        assertThat(cus1.events().getFirst().rejectedAt()).isEqualTo(START.toEpochMilli());
        assertThat(cus1.events().getFirst().message()).contains("never-sent");
        assertThat(read("cus_2", 100).events())
                .extracting(RejectedEvent::eventId, RejectedEvent::reason)
                .containsExactly(tuple("t1", "invalid_property"));
        assertThat(driver.rejected()).hasSize(5);
    }

    @Test
    void shouldCountRejectionsByReason() {
        driver.send(retraction("r1", "cus_1", "ai_call", "never-sent"));
        driver.send(retraction("r2", "cus_1", "ai_call", "never-sent-either"));
        driver.send(event("neg", "cus_1", "ai_call", "-1", T10_05));

        assertThat(driver.meterTotal("rejected-retraction_target_unknown")).isEqualTo(2.0);
        assertThat(driver.meterTotal("rejected-invalid")).isEqualTo(1.0);
        assertThat(driver.meterTotal("rejected-events")).isEqualTo(3.0);
    }

    @Test
    void shouldAnswerAnOrganizationsRejectionsInPagesOfBoundedSizeOldestFirst() {
        for (int i = 0; i < 5; i++) {
            driver.send(retraction("r" + i, "cus_" + (i % 2), "ai_call", "never-sent"));
            driver.advance(Duration.ofSeconds(1));
        }

        RejectedEventsStore.Page first = RejectedEventsStore.read(store(), "org_1", true, null, 0, EVER, 3);
        assertThat(first.events()).extracting(RejectedEvent::eventId).containsExactly("r0", "r1", "r2");
        assertThat(first.hasMore()).isTrue();
        long next = first.events().getLast().rejectedAt() + 1;
        RejectedEventsStore.Page second = RejectedEventsStore.read(store(), "org_1", true, null, next, EVER, 3);
        assertThat(second.events()).extracting(RejectedEvent::eventId).containsExactly("r3", "r4");
        assertThat(second.hasMore()).isFalse();
    }

    @Test
    void shouldNeverShowOneOrganizationOrModeTheRejectionsOfAnother() {
        UsageEvent otherOrganization = event("x1", "org_2", true, "cus_1", "ai_call", "0", START);
        otherOrganization.setRetracts("never-sent");
        UsageEvent testMode = event("x2", "org_1", false, "cus_1", "ai_call", "0", START);
        testMode.setRetracts("never-sent");
        driver.send(otherOrganization);
        driver.send(testMode);

        assertThat(RejectedEventsStore.read(store(), "org_1", true, null, 0, EVER, 100)
                        .events())
                .isEmpty();
        assertThat(RejectedEventsStore.read(store(), "org_1", false, null, 0, EVER, 100)
                        .events())
                .extracting(RejectedEvent::eventId)
                .containsExactly("x2");
        assertThat(RejectedEventsStore.read(store(), "org_2", true, "cus_1", 0, EVER, 100)
                        .events())
                .extracting(RejectedEvent::eventId)
                .containsExactly("x1");
    }

    @Test
    void shouldKeepAnInvalidEventOfAKnownOrganizationButNotOneWithoutIt() {
        driver.send(event("slash", "acct/42", "ai_call", "1", T10_05));
        UsageEvent noOrganization = event("orphan", "", true, "cus_1", "ai_call", "1", T10_05);
        driver.send(noOrganization);

        assertThat(RejectedEventsStore.read(store(), "org_1", true, null, 0, EVER, 100)
                        .events())
                .extracting(RejectedEvent::eventId, RejectedEvent::customerId, RejectedEvent::reason)
                .containsExactly(tuple("slash", "acct/42", "invalid"));
        assertThat(driver.rejected()).hasSize(2);
    }

    private RejectedEventsStore.Page read(String customer, int limit) {
        return RejectedEventsStore.read(store(), "org_1", true, customer, 0, EVER, limit);
    }

    private ReadOnlyWindowStore<String, byte[]> store() {
        return driver.windowStore(MeteringTopology.REJECTED_EVENTS_STORE);
    }
}
