package dev.tally.billing.unbilled;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /v1/unbilled-usage}: the ledger windows no invoice will bill, on the real server and
 * PostgreSQL.
 *
 * <pre>
 *  customer  subscription of ai_call              window (1 h, ai_call unless told)     listed
 *  covered   Nov 1 →, item removed Nov 15         Nov 5 10:00                          no
 *                                                 Nov 5 11:00 storage (nothing rates it) no_subscription
 *                                                 Nov 20 00:00                         no_subscription
 *  stranger  none                                 Nov 5 10:00, revisions 0 (3) and 1 (5) no_subscription, 5
 *  late      Nov 10 →                             Nov 5 10:00                          no_subscription
 *                                                 Nov 10 00:00 (the start itself)      no
 *  gone      Nov 1 → cancelled at Nov 4            Nov 3 23:00                          no
 *                                                 Nov 4 00:00 (the cancellation itself) no_subscription
 *  ghost     (no such customer)                   Nov 6 00:00                          unknown_customer
 * </pre>
 *
 * Another organization has a window of an unknown customer of its own.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnbilledUsageApiIT implements TestPropertyProvider {

    private static final Instant NOV_1 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NOV_3_23H = Instant.parse("2026-11-03T23:00:00Z");
    private static final Instant NOV_4 = Instant.parse("2026-11-04T00:00:00Z");
    private static final Instant NOV_5_10H = Instant.parse("2026-11-05T10:00:00Z");
    private static final Instant NOV_5_11H = Instant.parse("2026-11-05T11:00:00Z");
    private static final Instant NOV_6 = Instant.parse("2026-11-06T00:00:00Z");
    private static final Instant NOV_10 = Instant.parse("2026-11-10T00:00:00Z");
    private static final Instant NOV_15 = Instant.parse("2026-11-15T00:00:00Z");
    private static final Instant NOV_20 = Instant.parse("2026-11-20T00:00:00Z");

    @Inject
    ApiCalls api;

    @Inject
    UnbilledUsageMonitor monitor;

    @Inject
    @Client("/")
    HttpClient http;

    private TestPostgres.Database database;
    private BillingFixtures fixtures;
    private String org;
    private String key;
    private String otherKey;
    private String otherGhostWindow;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        Map<String, String> properties = TestServer.properties(database, "unbilled");
        properties.put("endpoints.prometheus.sensitive", "false");
        return properties;
    }

    @BeforeAll
    void recordTheUsageOfTheTimeline() {
        fixtures = BillingFixtures.on(Jdbi.create(database.dataSource())
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin()));
        org = api.newOrganization("Unbilled");
        key = api.newKey(org);
        String aiCall = catalog(key, "ai_call");
        catalog(key, "storage");
        String covered = customer(key, "covered");
        customer(key, "stranger");
        String late = customer(key, "late");
        String gone = customer(key, "gone");
        fixtures.subscribe(org, covered, aiCall, NOV_1, null);
        fixtures.jdbi()
                .useHandle(h -> h.execute(
                        "INSERT INTO billing.subscription_item_changes (subscription_id, item_id, at, price_id, quantity)"
                                + " VALUES (?, ?, ?, NULL, 0)",
                        "sub_" + covered + aiCall,
                        "si_" + covered + aiCall,
                        NOV_15));
        fixtures.subscribe(org, late, aiCall, NOV_10, null);
        fixtures.subscribe(org, gone, aiCall, NOV_1, NOV_4);

        fixtures.ledgerRow("covered-5", org, "covered", "ai_call", NOV_5_10H, "1");
        fixtures.ledgerRow("covered-storage", org, "covered", "storage", NOV_5_11H, "7");
        fixtures.ledgerRow("covered-20", org, "covered", "ai_call", NOV_20, "1");
        fixtures.statement(org, "stranger", "ai_call", NOV_5_10H)
                .aggregateId("stranger-r0")
                .quantity("3")
                .insert();
        fixtures.statement(org, "stranger", "ai_call", NOV_5_10H)
                .aggregateId("stranger-r1")
                .revision(1)
                .quantity("5")
                .events(4)
                .insert();
        fixtures.ledgerRow("late-5", org, "late", "ai_call", NOV_5_10H, "1");
        fixtures.ledgerRow("late-10", org, "late", "ai_call", NOV_10, "1");
        fixtures.ledgerRow("gone-3", org, "gone", "ai_call", NOV_3_23H, "1");
        fixtures.ledgerRow("gone-4", org, "gone", "ai_call", NOV_4, "1");
        fixtures.ledgerRow("ghost-6", org, "ghost", "ai_call", NOV_6, "2");

        String other = api.newOrganization("Other");
        otherKey = api.newKey(other);
        otherGhostWindow = "other-ghost";
        fixtures.ledgerRow(otherGhostWindow, other, "ghost", "ai_call", NOV_6, "9");
    }

    @Test
    void shouldListTheWindowsNoSubscriptionRatesAndThoseOfUnknownCustomers() {
        Reply page = api.get(key, "/v1/unbilled-usage");

        assertThat(page.code()).as("%s", page.body()).isEqualTo(200);
        assertThat(page.body()).containsEntry("hasMore", false);
        assertThat(list(page.body().get("data")))
                .extracting(
                        w -> w.get("aggregateId"), w -> w.get("customer"), w -> w.get("feature"), w -> w.get("reason"))
                .containsExactly(
                        tuple("gone-4", "gone", "ai_call", "no_subscription"),
                        tuple("late-5", "late", "ai_call", "no_subscription"),
                        tuple("stranger-r1", "stranger", "ai_call", "no_subscription"),
                        tuple("covered-storage", "covered", "storage", "no_subscription"),
                        tuple("ghost-6", "ghost", "ai_call", "unknown_customer"),
                        tuple("covered-20", "covered", "ai_call", "no_subscription"));
    }

    @Test
    void shouldShowAWindowAtItsLatestRevisionWithItsUsage() {
        Map<String, Object> stranger = list(api.get(key, "/v1/unbilled-usage?customer=stranger")
                        .body()
                        .get("data"))
                .getFirst();

        assertThat(stranger)
                .containsEntry("windowStart", NOV_5_10H.toString())
                .containsEntry("windowEnd", NOV_5_10H.plusSeconds(3600).toString())
                .containsEntry("quantity", "5.000000000")
                .containsEntry("eventCount", 4);
    }

    @Test
    void shouldWalkThePagesAndNarrowByCustomerFeatureAndWindowStart() {
        assertThat(walk("/v1/unbilled-usage?limit=4"))
                .containsExactly("gone-4", "late-5", "stranger-r1", "covered-storage", "ghost-6", "covered-20");
        assertThat(ids("/v1/unbilled-usage?customer=covered")).containsExactly("covered-storage", "covered-20");
        assertThat(ids("/v1/unbilled-usage?feature=storage")).containsExactly("covered-storage");
        assertThat(ids("/v1/unbilled-usage?from=2026-11-05T11:00:00Z&to=2026-11-20T00:00:00Z"))
                .as("from inclusive, to exclusive")
                .containsExactly("covered-storage", "ghost-6");
        assertThat(ids("/v1/unbilled-usage?customer=nobody")).isEmpty();
    }

    @Test
    void shouldCountTheUnbilledWindowsCustomersAndFeatures() {
        assertThat(api.get(key, "/v1/unbilled-usage/summary").body())
                .isEqualTo(Map.of("windows", 6, "customers", 5, "features", 2));
        assertThat(api.get(key, "/v1/unbilled-usage/summary?customer=covered").body())
                .isEqualTo(Map.of("windows", 2, "customers", 1, "features", 2));
        assertThat(api.get(otherKey, "/v1/unbilled-usage/summary").body())
                .isEqualTo(Map.of("windows", 1, "customers", 1, "features", 1));
    }

    @Test
    void shouldCountEveryOrganizationsUnbilledWindowsOnTheGauges() {
        UnbilledTotals totals =
                fixtures.jdbi().withHandle(h -> h.attach(UnbilledUsageDao.class).totals());
        monitor.check();

        assertThat(totals).isEqualTo(new UnbilledTotals(7, 2));
        assertThat(http.toBlocking().retrieve("/prometheus"))
                .contains("tally_billing_unbilled_windows 7.0")
                .contains("tally_billing_unbilled_organizations 2.0");
    }

    @Test
    void shouldShowEachOrganizationOnlyItsOwnUnbilledUsage() {
        assertThat(list(api.get(otherKey, "/v1/unbilled-usage").body().get("data")))
                .extracting(w -> w.get("aggregateId"), w -> w.get("quantity"))
                .containsExactly(tuple(otherGhostWindow, "9.000000000"));
        assertError(
                api.get(otherKey, "/v1/unbilled-usage?startingAfter=ghost-6"), 400, "invalid_request", "startingAfter");
    }

    @Test
    void shouldRefuseBadFiltersNamingTheParameter() {
        assertError(api.get(key, "/v1/unbilled-usage?customer=a%2Fb"), 400, "invalid_request", "customer");
        assertError(api.get(key, "/v1/unbilled-usage?feature=a%2Bb"), 400, "invalid_request", "feature");
        assertError(api.get(key, "/v1/unbilled-usage?from=yesterday"), 400, "invalid_request", "from");
        assertError(api.get(key, "/v1/unbilled-usage?to=2026-11-31T00:00:00Z"), 400, "invalid_request", "to");
        assertError(
                api.get(key, "/v1/unbilled-usage?from=2026-11-05T00:00:00Z&to=2026-11-05T00:00:00Z"),
                400,
                "invalid_request",
                "to");
        assertError(api.get(key, "/v1/unbilled-usage?limit=1001"), 400, "invalid_request", "limit");
        assertError(api.get(key, "/v1/unbilled-usage/summary?from=1"), 400, "invalid_request", "from");
    }

    /**
     * Usage is never dropped: a subscription created later with a start before the window covers it,
     * and the window leaves the list (its invoice will bill it).
     */
    @Test
    void shouldStopListingAWindowOnceABackdatedSubscriptionCoversIt() {
        String backdatedOrg = api.newOrganization("Backdated");
        String backdatedKey = api.newKey(backdatedOrg);
        String price = catalog(backdatedKey, "ai_call");
        String customer = customer(backdatedKey, "newcomer");
        fixtures.ledgerRow("newcomer-5", backdatedOrg, "newcomer", "ai_call", NOV_5_10H, "1");
        assertThat(ids(backdatedKey, "/v1/unbilled-usage")).containsExactly("newcomer-5");

        fixtures.subscribe(backdatedOrg, customer, price, NOV_1, null);

        assertThat(ids(backdatedKey, "/v1/unbilled-usage")).isEmpty();
        assertThat(api.get(backdatedKey, "/v1/unbilled-usage/summary").body())
                .isEqualTo(Map.of("windows", 0, "customers", 0, "features", 0));
    }

    /** A metered product of {@code feature} with a per_unit price; the price's id. */
    private String catalog(String key, String feature) {
        assertThat(api.post(key, "/v1/products", Map.of("featureKey", feature)).code())
                .isEqualTo(201);
        Reply price = api.post(key, "/v1/prices", Map.of("product", feature, "unitAmount", "1"));
        assertThat(price.code()).as("%s", price.body()).isEqualTo(201);
        return (String) price.body().get("id");
    }

    private String customer(String key, String externalId) {
        Reply created = api.post(key, "/v1/customers", Map.of("externalId", externalId));
        assertThat(created.code()).as("%s", created.body()).isEqualTo(201);
        return (String) created.body().get("id");
    }

    private List<String> walk(String path) {
        List<String> ids = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            Reply page = api.get(key, path + (after == null ? "" : "&startingAfter=" + after));
            assertThat(page.code()).as("%s", page.body()).isEqualTo(200);
            List<Map<String, Object>> data = list(page.body().get("data"));
            data.forEach(w -> ids.add((String) w.get("aggregateId")));
            more = (Boolean) page.body().get("hasMore");
            after = ids.getLast();
        }
        return ids;
    }

    private List<String> ids(String path) {
        return ids(key, path);
    }

    private List<String> ids(String key, String path) {
        Reply page = api.get(key, path);
        assertThat(page.code()).as("%s: %s", path, page.body()).isEqualTo(200);
        return list(page.body().get("data")).stream()
                .map(w -> (String) w.get("aggregateId"))
                .toList();
    }
}
