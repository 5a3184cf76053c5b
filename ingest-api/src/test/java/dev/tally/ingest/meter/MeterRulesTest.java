package dev.tally.ingest.meter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.Settings;
import dev.tally.ingest.auth.ApiKeyPrincipal;
import dev.tally.ingest.event.EventInput;
import dev.tally.ingest.event.ParsedEvent;
import dev.tally.ingest.event.Violation;
import dev.tally.ingest.state.StateFeed;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.MeterDefinition;
import dev.tally.schemas.avro.OrganizationSettings;
import dev.tally.schemas.avro.UnknownFeaturePolicy;
import dev.tally.schemas.topic.Keys;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class MeterRulesTest {

    private static final String ORG = "org_1";
    private static final ApiKeyPrincipal LIVE = new ApiKeyPrincipal(ORG, true, "hash", "mk_live_x");
    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

    private final MeterCatalog catalog = new MeterCatalog();
    private final OrganizationPolicies policies = new OrganizationPolicies();
    private final FakeFeed feed = new FakeFeed();
    private final MeterRules rules = new MeterRules(catalog, policies, feed, Settings.defaults());

    /** A feed that is always caught up, and can publish something while the caller waits for it. */
    private static final class FakeFeed implements StateFeed {
        Runnable onCatchUp = () -> {};
        int catchUps;

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public CompletableFuture<Void> catchUp() {
            catchUps++;
            onCatchUp.run();
            return CompletableFuture.completedFuture(null);
        }
    }

    private static EventInput event(String feature, Map<String, String> properties) {
        return new EventInput("evt", "cus_1", feature, BigDecimal.ONE.setScale(9), null, properties);
    }

    private void meter(boolean livemode, String feature, Aggregation aggregation, String property, Instant archived) {
        catalog.apply(
                Keys.meter(ORG, livemode, feature),
                new MeterDefinition("mtr_1", ORG, livemode, feature, aggregation, property, NOW, archived, NOW));
    }

    private void policy(UnknownFeaturePolicy policy) {
        policies.apply(ORG, new OrganizationSettings(ORG, policy, NOW));
    }

    private Violation check(EventInput event) {
        ParsedEvent checked = rules.check(LIVE, List.of(new ParsedEvent.Valid(event)))
                .toCompletableFuture()
                .join()
                .get(0);
        return checked instanceof ParsedEvent.Rejected rejected ? rejected.violation() : null;
    }

    @Test
    void shouldRejectAnUnknownFeatureWhenTheOrganizationRejectsThem() {
        policy(UnknownFeaturePolicy.REJECT);

        Violation violation = check(event("ai_call", Map.of()));

        assertThat(violation.code()).isEqualTo(ErrorCode.UNKNOWN_FEATURE);
        assertThat(violation.field()).isEqualTo("feature");
        assertThat(violation.message()).contains("ai_call", "live");
    }

    @Test
    void shouldAcceptAnUnknownFeatureUnderAcceptAsSumAndWithoutSettings() {
        Violation withoutSettings = check(event("ai_call", Map.of()));
        policy(UnknownFeaturePolicy.ACCEPT_AS_SUM);
        Violation acceptAsSum = check(event("ai_call", Map.of()));

        assertThat(withoutSettings).isNull();
        assertThat(acceptAsSum).isNull();
    }

    @Test
    void shouldTreatAnArchivedMeterOrAMeterOfTheOtherModeAsUnknown() {
        policy(UnknownFeaturePolicy.REJECT);
        meter(true, "archived", Aggregation.SUM, null, NOW);
        meter(false, "test_only", Aggregation.SUM, null, null);
        meter(true, "active", Aggregation.SUM, null, null);

        assertThat(check(event("archived", Map.of())).code()).isEqualTo(ErrorCode.UNKNOWN_FEATURE);
        assertThat(check(event("test_only", Map.of())).code()).isEqualTo(ErrorCode.UNKNOWN_FEATURE);
        assertThat(check(event("active", Map.of()))).isNull();
    }

    @Test
    void shouldForgetAMeterOnceArchivedOrDeleted() {
        policy(UnknownFeaturePolicy.REJECT);
        meter(true, "ai_call", Aggregation.SUM, null, null);
        assertThat(check(event("ai_call", Map.of()))).isNull();

        meter(true, "ai_call", Aggregation.SUM, null, NOW);
        Violation archived = check(event("ai_call", Map.of()));
        meter(true, "ai_call", Aggregation.SUM, null, null);
        catalog.apply(Keys.meter(ORG, true, "ai_call"), null);
        Violation deleted = check(event("ai_call", Map.of()));

        assertThat(archived.code()).isEqualTo(ErrorCode.UNKNOWN_FEATURE);
        assertThat(deleted.code()).isEqualTo(ErrorCode.UNKNOWN_FEATURE);
    }

    @Test
    void shouldLookAgainAfterCatchingUpBeforeRejectingAnUnknownFeature() {
        policy(UnknownFeaturePolicy.REJECT);
        feed.onCatchUp = () -> meter(true, "created_just_now", Aggregation.SUM, null, null);

        Violation violation = check(event("created_just_now", Map.of()));

        assertThat(violation).isNull();
        assertThat(feed.catchUps).isEqualTo(1);
    }

    @Test
    void shouldNotWaitForTheFeedWhenNothingIsUnknown() {
        policy(UnknownFeaturePolicy.REJECT);
        meter(true, "ai_call", Aggregation.SUM, "tokens", null);

        Violation violation = check(event("ai_call", Map.of()));

        assertThat(violation.code()).isEqualTo(ErrorCode.MISSING_PROPERTY);
        assertThat(feed.catchUps).isZero();
    }

    @ParameterizedTest
    @EnumSource(
            value = Aggregation.class,
            names = {"SUM", "MIN", "MAX", "LATEST"})
    void shouldRequireTheValuePropertyOfADecimalMeter(Aggregation aggregation) {
        meter(true, "ai_call", aggregation, "tokens", null);

        Violation violation = check(event("ai_call", Map.of("model", "small")));

        assertThat(violation.code()).isEqualTo(ErrorCode.MISSING_PROPERTY);
        assertThat(violation.field()).isEqualTo("properties.tokens");
        assertThat(violation.message()).contains("tokens");
    }

    @ParameterizedTest
    @CsvSource({
        "SUM, many",
        "MIN, -1",
        "MAX, 0.0000000001",
        "LATEST, 1e25",
        "SUM, ''",
        "MAX, '1,5'",
        "SUM, 1e15",
        "SUM, 1e2147483647",
        "MAX, \u0661\u0662"
    })
    void shouldRejectAValuePropertyThatIsNotAnExactDecimalInBounds(Aggregation aggregation, String value) {
        meter(true, "ai_call", aggregation, "tokens", null);

        Violation violation = check(event("ai_call", Map.of("tokens", value)));

        assertThat(violation.code()).isEqualTo(ErrorCode.INVALID_PROPERTY);
        assertThat(violation.field()).isEqualTo("properties.tokens");
    }

    @ParameterizedTest
    @CsvSource({"SUM, 12.5", "MIN, 0", "MAX, 1e3", "LATEST, 0.000000001"})
    void shouldAcceptAnExactDecimalValueProperty(Aggregation aggregation, String value) {
        meter(true, "ai_call", aggregation, "tokens", null);

        assertThat(check(event("ai_call", Map.of("tokens", value)))).isNull();
    }

    @Test
    void shouldRequireANonEmptyPropertyForAUniqueCount() {
        meter(true, "active_users", Aggregation.UNIQUE_COUNT, "user_id", null);

        Violation missing = check(event("active_users", Map.of()));
        Violation empty = check(event("active_users", Map.of("user_id", "")));
        Violation text = check(event("active_users", Map.of("user_id", "alice@example.com")));

        assertThat(missing.code()).isEqualTo(ErrorCode.MISSING_PROPERTY);
        assertThat(missing.field()).isEqualTo("properties.user_id");
        assertThat(empty.code()).isEqualTo(ErrorCode.INVALID_PROPERTY);
        assertThat(text).isNull();
    }

    @Test
    void shouldIgnorePropertiesForACountAndForAMeterOfTheQuantity() {
        meter(true, "logins", Aggregation.COUNT, null, null);
        meter(true, "ai_call", Aggregation.MAX, null, null);

        assertThat(check(event("logins", Map.of()))).isNull();
        assertThat(check(event("ai_call", Map.of("tokens", "not a number")))).isNull();
    }

    @Test
    void shouldNotCheckRetractionsAgainstMeters() {
        policy(UnknownFeaturePolicy.REJECT);
        EventInput retraction = new EventInput(
                "evt-2", "cus_1", "archived_since", BigDecimal.ZERO.setScale(9), null, Map.of(), "evt-1");

        assertThat(check(retraction)).isNull();
    }

    @Test
    void shouldRejectOnlyTheRefusedEventsOfABatchAndKeepTheOthersInPlace() {
        policy(UnknownFeaturePolicy.REJECT);
        meter(true, "ai_call", Aggregation.SUM, null, null);
        List<ParsedEvent> batch = List.of(
                new ParsedEvent.Valid(event("ai_call", Map.of())),
                new ParsedEvent.Valid(event("unknown", Map.of())),
                new ParsedEvent.Rejected("bad", new Violation(ErrorCode.NEGATIVE_QUANTITY, "no", "quantity")),
                new ParsedEvent.Valid(event("ai_call", Map.of())));

        List<ParsedEvent> checked =
                rules.check(LIVE, batch).toCompletableFuture().join();

        assertThat(checked).hasSize(4);
        assertThat(checked.get(0)).isSameAs(batch.get(0));
        assertThat(((ParsedEvent.Rejected) checked.get(1)).violation().code()).isEqualTo(ErrorCode.UNKNOWN_FEATURE);
        assertThat(checked.get(2)).isSameAs(batch.get(2));
        assertThat(checked.get(3)).isSameAs(batch.get(3));
    }

    @Test
    void shouldHandBackTheSameListWhenTheOrganizationHasNoMetersAndAcceptsUnknownFeatures() {
        List<ParsedEvent> batch = List.of(new ParsedEvent.Valid(event("ai_call", Map.of())));

        assertThat(rules.check(LIVE, batch).toCompletableFuture().join()).isSameAs(batch);
    }
}
