package dev.tally.billing.entitlement;

import static dev.tally.billing.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.MutableClock;
import dev.tally.billing.PlacedClocks;
import dev.tally.billing.TestServer;
import dev.tally.billing.upcoming.FakeMetering;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /v1/customers/{id}/entitlements} on the real server and PostgreSQL, metering's live query played by a
 * loopback server ({@link FakeMetering}). Now is 2026-04-10 12:30 UTC; the customers live in Paris (UTC+2), so
 * their day started at 2026-04-09 22:00 UTC:
 *
 * <pre>
 *   ledger  21:00 (Apr 9) 500   not today in Paris
 *           10:00          30
 *           11:00          20
 *   metering minutes 11:59 1000 (inside the ledger's last hour: counted there), 12:05 3, 12:29 4
 *   today's usage: 30 + 20 + 3 + 4 = 57
 * </pre>
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntitlementApiIT implements TestPropertyProvider {

    private static final Instant NOW = Instant.parse("2026-04-10T12:30:00Z");
    private static final MutableClock CLOCK = PlacedClocks.place("entitlements", new MutableClock(NOW));
    private static final FakeMetering METERING = new FakeMetering();

    @Inject
    ApiCalls api;

    @Inject
    BillingDatabase database;

    private String org;
    private String key;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties =
                TestServer.properties(TestPostgres.shared().createDatabase(), "entitlements");
        properties.put("tally.billing.cycle.enabled", "false");
        properties.put("tally.billing.metering-url", METERING.url());
        properties.put(PlacedClocks.PROPERTY, "entitlements");
        return properties;
    }

    @BeforeAll
    void anOrganizationMeteringApiCalls() {
        org = api.newOrganization("Entitled");
        key = api.newKey(org);
        assertThat(api.post(key, "/v1/meters", Map.of("feature", "ai_call", "aggregation", "sum"))
                        .code())
                .isEqualTo(201);
    }

    @BeforeEach
    void now() {
        CLOCK.set(NOW);
        METERING.down(false);
    }

    @AfterAll
    void stopMetering() {
        METERING.close();
    }

    @Test
    void shouldCountTodaysLedgerAndLiveUsageInTheCustomersZoneBelowAHardLimit() {
        customerWithUsage("below");
        assertThat(create("below", metered("100", "day", null)).code()).isEqualTo(201);

        ApiCalls.Reply value = api.get(key, "/v1/customers/below/entitlements/ai_call");

        assertThat(value.code()).as("%s", value.body()).isEqualTo(200);
        assertThat(value.body())
                .containsEntry("feature", "ai_call")
                .containsEntry("type", "metered")
                .containsEntry("hasAccess", true)
                .containsEntry("usage", "57")
                .containsEntry("limit", "100")
                .containsEntry("remaining", "43")
                .containsEntry("overage", "0")
                .containsEntry("hardLimit", true)
                .containsEntry("usagePeriod", "day")
                .containsEntry("periodStart", "2026-04-09T22:00:00Z")
                .containsEntry("resetsAt", "2026-04-10T22:00:00Z")
                .containsEntry("asOf", NOW.toString())
                .containsEntry("liveUsage", "included");
        assertThat((String) value.body().get("customer")).startsWith("cus_");
    }

    @Test
    void shouldRefuseAccessOnceAHardLimitIsReachedAndShowTheOverageOfASoftOne() {
        customerWithUsage("hard");
        customerWithUsage("soft");
        create("hard", metered("57", "day", true));
        create("soft", metered("50", "day", false));

        ApiCalls.Reply hard = api.get(key, "/v1/customers/hard/entitlements/ai_call");
        ApiCalls.Reply soft = api.get(key, "/v1/customers/soft/entitlements/ai_call");

        assertThat(hard.body())
                .as("usage at the limit: no access")
                .containsEntry("hasAccess", false)
                .containsEntry("remaining", "0")
                .containsEntry("overage", "0");
        assertThat(soft.body())
                .containsEntry("hasAccess", true)
                .containsEntry("hardLimit", false)
                .containsEntry("remaining", "0")
                .containsEntry("overage", "7");
    }

    @Test
    void shouldCountTheWholeMonthForAMonthlyLimit() {
        customerWithUsage("monthly");
        create("monthly", metered("1000", null, null));

        ApiCalls.Reply value = api.get(key, "/v1/customers/monthly/entitlements/ai_call");

        assertThat(value.body())
                .as("month is the default period; the Apr 9 window is in April in Paris too")
                .containsEntry("usagePeriod", "month")
                .containsEntry("periodStart", "2026-03-31T22:00:00Z")
                .containsEntry("resetsAt", "2026-04-30T22:00:00Z")
                .containsEntry("usage", "557")
                .containsEntry("remaining", "443");
    }

    @Test
    void shouldAnswerFromTheLedgerAloneWhenMeteringIsDown() {
        customerWithUsage("offline");
        create("offline", metered("100", "day", null));
        METERING.down(true);

        ApiCalls.Reply value = api.get(key, "/v1/customers/offline/entitlements/ai_call");

        assertThat(value.code()).isEqualTo(200);
        assertThat(value.body())
                .containsEntry("usage", "50")
                .containsEntry("liveUsage", "unavailable")
                .containsEntry("hasAccess", true);
    }

    @Test
    void shouldAnswerBooleanAndStaticEntitlementsWithoutAskingMetering() {
        api.post(key, "/v1/customers", Map.of("externalId", "flags"));
        Map<String, Object> off = new LinkedHashMap<>();
        off.put("feature", "sso");
        off.put("type", "boolean");
        off.put("enabled", false);
        assertThat(create("flags", off).body()).containsEntry("enabled", false).containsEntry("limit", null);
        assertThat(create("flags", Map.of("feature", "beta", "type", "boolean")).body())
                .containsEntry("enabled", true);
        assertThat(create(
                                "flags",
                                Map.of(
                                        "feature",
                                        "plan",
                                        "type",
                                        "static",
                                        "config",
                                        Map.of("tier", "gold", "seats", "12")))
                        .code())
                .isEqualTo(201);

        assertThat(api.get(key, "/v1/customers/flags/entitlements/sso").body())
                .containsEntry("hasAccess", false)
                .containsEntry("usage", null)
                .containsEntry("liveUsage", null);
        assertThat(api.get(key, "/v1/customers/flags/entitlements/beta").body()).containsEntry("hasAccess", true);
        assertThat(api.get(key, "/v1/customers/flags/entitlements/plan").body())
                .containsEntry("hasAccess", true)
                .containsEntry("config", Map.of("seats", "12", "tier", "gold"));
        assertThat(ApiCalls.list(
                        api.get(key, "/v1/customers/flags/entitlements").body().get("data")))
                .extracting(e -> e.get("feature"))
                .containsExactly("beta", "plan", "sso");
    }

    @Test
    void shouldDeleteAnEntitlement() {
        api.post(key, "/v1/customers", Map.of("externalId", "deleted"));
        create("deleted", Map.of("feature", "sso", "type", "boolean"));

        assertThat(api.send(HttpRequest.DELETE("/v1/customers/deleted/entitlements/sso")
                                .bearerAuth(key))
                        .code())
                .isEqualTo(204);

        assertError(api.get(key, "/v1/customers/deleted/entitlements/sso"), 404, "not_found", null);
        assertError(
                api.send(HttpRequest.DELETE("/v1/customers/deleted/entitlements/sso")
                        .bearerAuth(key)),
                404,
                "not_found",
                null);
    }

    @Test
    void shouldRefuseBadEntitlementsNamingTheField() {
        api.post(key, "/v1/customers", Map.of("externalId", "picky"));

        assertError(create("picky", Map.of("type", "boolean")), 400, "invalid_request", "feature");
        assertError(create("picky", Map.of("feature", "sso")), 400, "invalid_request", "type");
        assertError(create("picky", Map.of("feature", "sso", "type", "quota")), 400, "invalid_request", "type");
        assertError(create("picky", Map.of("feature", "ai_call", "type", "metered")), 400, "invalid_request", "limit");
        assertError(create("picky", metered("-1", null, null)), 400, "invalid_request", "limit");
        assertError(create("picky", metered("10", "year", null)), 400, "invalid_request", "usagePeriod");
        assertError(
                create("picky", Map.of("feature", "sso", "type", "boolean", "limit", "10")),
                400,
                "invalid_request",
                "limit");
        assertError(
                create("picky", Map.of("feature", "ai_call", "type", "metered", "limit", "10", "config", Map.of())),
                400,
                "invalid_request",
                "config");
        assertError(create("picky", Map.of("feature", "plan", "type", "static")), 400, "invalid_request", "config");
        assertError(
                create("picky", Map.of("feature", "seats", "type", "metered", "limit", "10")),
                400,
                "invalid_request",
                "feature");
        assertError(
                create("picky", Map.of("feature", "sso", "type", "boolean", "enabeld", true)),
                400,
                "unknown_field",
                "enabeld");
    }

    @Test
    void shouldKeepOneEntitlementPerFeatureAndTenantsApart() {
        api.post(key, "/v1/customers", Map.of("externalId", "twice"));
        create("twice", Map.of("feature", "sso", "type", "boolean"));
        String otherKey = api.newKey(api.newOrganization("Other"));

        assertError(create("twice", Map.of("feature", "sso", "type", "boolean")), 409, "already_exists", "feature");
        assertError(api.get(otherKey, "/v1/customers/twice/entitlements/sso"), 404, "not_found", null);
        assertError(api.get(key, "/v1/customers/nobody/entitlements/sso"), 404, "not_found", null);
        assertError(api.get(key, "/v1/customers/twice/entitlements/beta"), 404, "not_found", null);
    }

    /** Customer {@code ext} in Paris with the ledger windows and metering minutes of the class comment. */
    private void customerWithUsage(String ext) {
        assertThat(api.post(key, "/v1/customers", Map.of("externalId", ext, "timeZone", "Europe/Paris"))
                        .code())
                .isEqualTo(201);
        BillingFixtures ledger = BillingFixtures.on(database.jdbi());
        ledger.statement(org, ext, "ai_call", Instant.parse("2026-04-09T21:00:00Z"))
                .quantity("500")
                .insert();
        ledger.statement(org, ext, "ai_call", Instant.parse("2026-04-10T10:00:00Z"))
                .quantity("30")
                .insert();
        ledger.statement(org, ext, "ai_call", Instant.parse("2026-04-10T11:00:00Z"))
                .quantity("20")
                .insert();
        METERING.add(new FakeMetering.Minute(ext, "ai_call", Instant.parse("2026-04-10T11:59:00Z"), "1000", 1));
        METERING.add(new FakeMetering.Minute(ext, "ai_call", Instant.parse("2026-04-10T12:05:00Z"), "3", 1));
        METERING.add(new FakeMetering.Minute(ext, "ai_call", Instant.parse("2026-04-10T12:29:00Z"), "4", 1));
    }

    private static Map<String, Object> metered(String limit, String period, Boolean hardLimit) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("feature", "ai_call");
        body.put("type", "metered");
        body.put("limit", limit);
        if (period != null) {
            body.put("usagePeriod", period);
        }
        if (hardLimit != null) {
            body.put("hardLimit", hardLimit);
        }
        return body;
    }

    private ApiCalls.Reply create(String customer, Map<String, Object> body) {
        return api.post(key, "/v1/customers/" + customer + "/entitlements", body);
    }
}
