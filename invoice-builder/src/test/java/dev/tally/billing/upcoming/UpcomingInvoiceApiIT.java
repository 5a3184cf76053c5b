package dev.tally.billing.upcoming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.MutableClock;
import dev.tally.billing.TestServer;
import dev.tally.billing.invoicing.SubscriptionInvoicing;
import dev.tally.testkit.TestPostgres;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /v1/customers/{id}/upcoming-invoice} on the real server and PostgreSQL, with metering's live query
 * played by a loopback server in metering's JSON shape ({@link FakeMetering}); the billing cycle worker is off,
 * its writer is called by the test. Pro plan 49.00 a month in advance, API calls 0.25 each, monthly from Apr 1.
 *
 * <pre>
 *  Apr 1          Apr 5 10:00    Apr 10 11:00   12:00 ............ 12:30 (now)      May 1
 *  Pro invoiced   ledger: 100    ledger: 20     live minutes:      draft:           the period ends:
 *  (in advance)   (closed hour)  (closed hour)  12:05 → 3          usage 127        the cycle invoices
 *                                11:59 → 1000 in metering too,     → 31.75          the same lines
 *                                but inside the ledger's hour      + Pro May 49.00
 * </pre>
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpcomingInvoiceApiIT implements TestPropertyProvider {

    private static final Instant APR_1 = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-04-10T12:30:00Z");
    private static final Instant MAY_1 = Instant.parse("2026-05-01T00:00:00Z");
    private static final Instant JUN_1 = Instant.parse("2026-06-01T00:00:00Z");
    private static final MutableClock CLOCK = new MutableClock(NOW);
    private static final FakeMetering METERING = new FakeMetering();

    @Inject
    ApiCalls api;

    @Inject
    BillingDatabase database;

    @Inject
    SubscriptionInvoicing invoicing;

    /** The server's clock is the test's, in this test's context only. */
    @Factory
    @Requires(property = "tally.test.placed-clock", value = "upcoming")
    static final class PlacedClock {

        @Singleton
        @Named(BillingClock.NAME)
        @Replaces(value = Clock.class, named = BillingClock.NAME)
        Clock clock() {
            return CLOCK;
        }
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties =
                TestServer.properties(TestPostgres.shared().createDatabase(), "upcoming");
        properties.put("tally.billing.cycle.enabled", "false");
        properties.put("tally.billing.metering-url", METERING.url());
        properties.put("tally.test.placed-clock", "upcoming");
        return properties;
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

    /** An organization with Pro and API calls, customer {@code ext} subscribed to both from Apr 1. */
    private record Tenant(String org, String ext, String key, String pro, String calls, String subscription) {}

    private Tenant subscribed(String ext) {
        String org = api.newOrganization("Upcoming " + ext);
        String key = api.newKey(org);
        String plan = id(api.post(key, "/v1/products", Map.of("type", "recurring", "name", "Pro plan")));
        String pro = id(api.post(
                key, "/v1/prices", Map.of("product", plan, "model", "flat", "flatAmount", "49", "interval", "month")));
        id(api.post(key, "/v1/products", Map.of("featureKey", "ai_call", "name", "API calls")));
        String calls = id(api.post(key, "/v1/prices", Map.of("product", "ai_call", "unitAmount", "0.25")));
        id(api.post(key, "/v1/customers", Map.of("externalId", ext)));
        String subscription = id(api.post(
                key,
                "/v1/subscriptions",
                Map.of(
                        "customer",
                        ext,
                        "items",
                        List.of(Map.of("price", pro, "quantity", 1), Map.of("price", calls)),
                        "startAt",
                        APR_1.toString())));
        invoicing.bill(subscription, APR_1); // the cycle bills Pro for April when the period starts
        BillingFixtures ledger = BillingFixtures.on(database.jdbi());
        ledger.statement(org, ext, "ai_call", Instant.parse("2026-04-05T10:00:00Z"))
                .quantity("100")
                .events(10)
                .insert();
        ledger.statement(org, ext, "ai_call", Instant.parse("2026-04-10T11:00:00Z"))
                .quantity("20")
                .events(2)
                .insert();
        // metering holds the closed hours' minutes too: one inside the ledger's last hour must not count twice
        METERING.add(new FakeMetering.Minute(ext, "ai_call", Instant.parse("2026-04-10T11:59:00Z"), "1000", 1));
        METERING.add(new FakeMetering.Minute(ext, "ai_call", Instant.parse("2026-04-10T12:05:00Z"), "3", 1));
        METERING.add(new FakeMetering.Minute(ext, "ai_call", Instant.parse("2026-04-10T12:29:00Z"), "4", 1));
        return new Tenant(org, ext, key, pro, calls, subscription);
    }

    @Test
    void shouldDraftTheLedgerAndTheLiveMinutesAfterItAsTheCycleInvoicesThemWhenThePeriodEnds() {
        Tenant t = subscribed("acme");

        Reply draft = api.get(t.key(), "/v1/customers/acme/upcoming-invoice");

        assertThat(draft.code()).as("%s", draft.body()).isEqualTo(200);
        assertThat(draft.body())
                .containsEntry("currency", "USD")
                .containsEntry("periodStart", APR_1.toString())
                .containsEntry("periodEnd", MAY_1.toString())
                .containsEntry("asOf", NOW.toString())
                .containsEntry("liveUsage", "included")
                .containsEntry("usageFreshAsOf", NOW.toString())
                .containsEntry("total", "80.75");
        assertThat(((Number) draft.body().get("totalMinor")).longValue()).isEqualTo(8075);
        List<Map<String, Object>> lines = ApiCalls.list(draft.body().get("lines"));
        assertThat(lines)
                .extracting(l -> l.get("kind"), l -> l.get("price"), l -> l.get("periodStart"), l -> l.get("periodEnd"))
                .containsExactlyInAnyOrder(
                        tuple("usage", t.calls(), APR_1.toString(), MAY_1.toString()),
                        tuple("flat_fee", t.pro(), MAY_1.toString(), JUN_1.toString()));
        Map<String, Object> usage = lines.stream()
                .filter(l -> "usage".equals(l.get("kind")))
                .findFirst()
                .orElseThrow();
        assertThat(new BigDecimal((String) usage.get("quantity"))).isEqualByComparingTo("127");
        assertThat(usage).containsEntry("amount", "31.75").containsEntry("feature", "ai_call");
        FakeMetering.Query query = METERING.queries().getLast();
        assertThat(query.parameters())
                .containsEntry("customer", "acme")
                .containsEntry("feature", "ai_call")
                .containsEntry("from", "2026-04-10T12:00:00Z")
                .containsEntry("to", NOW.toString())
                .containsEntry("window", "minute");
        assertThat(query.authorization())
                .as("metering is asked with the caller's key")
                .isEqualTo("Bearer " + t.key());
        assertThat(invoices(t)).as("nothing is written").hasSize(1);

        // the hour closes with what the live minutes said, the period ends, the cycle invoices it
        BillingFixtures.on(database.jdbi())
                .statement(t.org(), "acme", "ai_call", Instant.parse("2026-04-10T12:00:00Z"))
                .quantity("7")
                .events(2)
                .insert();
        CLOCK.set(MAY_1.plusSeconds(120));
        assertThat(invoicing.bill(t.subscription(), MAY_1).invoice()).isPresent();
        List<Map<String, Object>> invoiced =
                ApiCalls.list(invoices(t).getFirst().get("lines"));
        assertThat(invoiced)
                .extracting(UpcomingInvoiceApiIT::comparable)
                .containsExactlyInAnyOrderElementsOf(
                        lines.stream().map(UpcomingInvoiceApiIT::comparable).toList());
    }

    @Test
    void shouldDraftFromTheLedgerAloneAndSaySoWhenMeteringIsUnreachable() {
        Tenant t = subscribed("down");
        METERING.down(true);

        Reply draft = api.get(t.key(), "/v1/customers/down/upcoming-invoice");

        assertThat(draft.code()).as("%s", draft.body()).isEqualTo(200);
        assertThat(draft.body()).containsEntry("liveUsage", "unavailable").containsEntry("usageFreshAsOf", null);
        Map<String, Object> usage = ApiCalls.list(draft.body().get("lines")).stream()
                .filter(l -> "usage".equals(l.get("kind")))
                .findFirst()
                .orElseThrow();
        assertThat(new BigDecimal((String) usage.get("quantity")))
                .as("the ledger's closed hours, all of them")
                .isEqualByComparingTo("120");
        assertThat(usage).containsEntry("amountMinor", 3000);
        assertThat(((Number) draft.body().get("totalMinor")).longValue()).isEqualTo(3000 + 4900);
    }

    @Test
    void shouldDraftNoLineForACustomerWithoutSubscriptions() {
        String org = api.newOrganization("No subscriptions");
        String key = api.newKey(org);
        String customer = id(api.post(key, "/v1/customers", Map.of("externalId", "idle", "currency", "eur")));

        Reply draft = api.get(key, "/v1/customers/" + customer + "/upcoming-invoice");

        assertThat(draft.code()).as("%s", draft.body()).isEqualTo(200);
        assertThat(draft.body())
                .containsEntry("customer", customer)
                .containsEntry("currency", "EUR")
                .containsEntry("periodStart", null)
                .containsEntry("lines", List.of())
                .containsEntry("totalMinor", 0)
                .containsEntry("total", "0.00");
    }

    @Test
    void shouldAnswer404ForAnUnknownCustomer() {
        String key = api.newKey(api.newOrganization("Unknown"));

        ApiCalls.assertError(api.get(key, "/v1/customers/nobody/upcoming-invoice"), 404, "not_found", null);
    }

    @Test
    void shouldNeverDraftAnotherOrganizationsCustomer() {
        Tenant owner = subscribed("owned");
        String customerId = (String) ApiCalls.list(api.get(owner.key(), "/v1/customers?externalId=owned")
                        .body()
                        .get("data"))
                .getFirst()
                .get("id");
        String stranger = api.newKey(api.newOrganization("Stranger"));
        int queries = METERING.queries().size();

        ApiCalls.assertError(
                api.get(stranger, "/v1/customers/" + customerId + "/upcoming-invoice"), 404, "not_found", null);
        ApiCalls.assertError(api.get(stranger, "/v1/customers/owned/upcoming-invoice"), 404, "not_found", null);
        assertThat(METERING.queries()).as("metering was not asked").hasSize(queries);
    }

    private List<Map<String, Object>> invoices(Tenant t) {
        return ApiCalls.list(
                api.get(t.key(), "/v1/invoices?customer=" + t.ext()).body().get("data"));
    }

    /** What a drafted line and an invoiced line share: all but the invoice's own ids. */
    private static Tuple comparable(Map<String, Object> line) {
        return tuple(
                line.get("kind"),
                line.get("description"),
                new BigDecimal((String) line.get("quantity")).stripTrailingZeros(),
                ((Number) line.get("amountMinor")).longValue(),
                line.get("amount"),
                line.get("periodStart"),
                line.get("periodEnd"),
                line.get("price"),
                line.containsKey("feature") ? line.get("feature") : line.get("featureKey"));
    }

    private static String id(Reply reply) {
        assertThat(reply.code()).as("%s", reply.body()).isBetween(200, 201);
        return (String) reply.body().get("id");
    }
}
