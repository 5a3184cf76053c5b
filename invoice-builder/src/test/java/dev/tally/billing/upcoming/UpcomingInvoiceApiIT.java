package dev.tally.billing.upcoming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.MutableClock;
import dev.tally.billing.PlacedClocks;
import dev.tally.billing.TestServer;
import dev.tally.billing.invoicing.SubscriptionInvoicing;
import dev.tally.testkit.TestPostgres;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private static final MutableClock CLOCK = PlacedClocks.place("upcoming", new MutableClock(NOW));
    private static final FakeMetering METERING = new FakeMetering();

    @Inject
    ApiCalls api;

    @Inject
    BillingDatabase database;

    @Inject
    SubscriptionInvoicing invoicing;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties =
                TestServer.properties(TestPostgres.shared().createDatabase(), "upcoming");
        properties.put("tally.billing.cycle.enabled", "false");
        properties.put("tally.billing.metering-url", METERING.url());
        properties.put(PlacedClocks.PROPERTY, "upcoming");
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
        String org = api.newOrganizationFinalizingAtOnce("Upcoming " + ext);
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
        assertThat(usage)
                .containsEntry("amount", "31.75")
                .containsEntry("feature", "ai_call")
                .containsEntry("liveUsage", "included");
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
        assertThat(usage).containsEntry("amountMinor", 3000).containsEntry("liveUsage", "unavailable");
        assertThat(((Number) draft.body().get("totalMinor")).longValue()).isEqualTo(3000 + 4900);
    }

    /**
     * The customer's credit, as the invoice of its period's end applies it.
     *
     * <pre>
     *  Apr 1               Apr 10 00:00              12:30 (now)                   May 1
     *  Pro + Support       Support cancelled:        draft: usage 31.75 + Pro May  the cycle's invoice:
     *  invoiced            21 of 30 days unused,     49.00, credit applied -21.00  the same lines, the
     *  (in advance)        21.00 carried forward     → 59.75                       same total
     * </pre>
     */
    @Test
    void shouldApplyTheCustomersCreditAsTheInvoiceOfThePeriodsEndThenDoes() {
        Tenant t = subscribed("credited");
        String product = id(api.post(t.key(), "/v1/products", Map.of("type", "recurring", "name", "Support")));
        String price = id(api.post(
                t.key(),
                "/v1/prices",
                Map.of("product", product, "model", "flat", "flatAmount", "30", "interval", "month")));
        String support = id(api.post(
                t.key(),
                "/v1/subscriptions",
                Map.of(
                        "customer",
                        "credited",
                        "items",
                        List.of(Map.of("price", price, "quantity", 1)),
                        "startAt",
                        APR_1.toString())));
        invoicing.bill(support, APR_1);
        Reply cancel =
                api.post(t.key(), "/v1/subscriptions/" + support + "/cancel", Map.of("at", "2026-04-10T00:00:00Z"));
        assertThat(cancel.code()).as("%s", cancel.body()).isEqualTo(200);
        assertThat(invoicing.bill(support, NOW).invoice()).isPresent();
        assertThat(invoices(t).stream()
                        .flatMap(invoice -> ApiCalls.list(invoice.get("lines")).stream())
                        .filter(l -> "credit_carried_forward".equals(l.get("kind"))))
                .as("Support's last invoice carries its unused 21 days forward")
                .singleElement()
                .satisfies(l -> assertThat(l).containsEntry("amountMinor", 2100));

        Reply draft = api.get(t.key(), "/v1/customers/credited/upcoming-invoice");

        assertThat(draft.code()).as("%s", draft.body()).isEqualTo(200);
        List<Map<String, Object>> lines = ApiCalls.list(draft.body().get("lines"));
        assertThat(lines)
                .extracting(l -> l.get("kind"), l -> ((Number) l.get("amountMinor")).longValue())
                .containsExactly(tuple("flat_fee", 4900L), tuple("usage", 3175L), tuple("credit_applied", -2100L));
        assertThat(lines.getLast())
                .containsEntry("subscription", t.subscription())
                .containsEntry("price", null)
                .containsEntry("periodStart", null)
                .containsEntry("liveUsage", null)
                .containsEntry("description", "Credit carried forward from earlier invoices");
        assertThat(draft.body()).containsEntry("totalMinor", 5975).containsEntry("total", "59.75");

        List<Object> before =
                invoices(t).stream().map(invoice -> invoice.get("id")).toList();
        BillingFixtures.on(database.jdbi())
                .statement(t.org(), "credited", "ai_call", Instant.parse("2026-04-10T12:00:00Z"))
                .quantity("7")
                .events(2)
                .insert();
        CLOCK.set(MAY_1.plusSeconds(120));
        assertThat(invoicing.bill(t.subscription(), MAY_1).invoice()).isPresent();
        List<Map<String, Object>> written =
                invoices(t).stream().filter(i -> !before.contains(i.get("id"))).toList();
        assertThat(written).as("the period's end writes one invoice").hasSize(1);
        Map<String, Object> invoice = written.getFirst();
        assertThat(invoice).as("the draft's total is the invoice's").containsEntry("totalMinor", 5975);
        assertThat(ApiCalls.list(invoice.get("lines")))
                .extracting(UpcomingInvoiceApiIT::comparable)
                .containsExactlyInAnyOrderElementsOf(
                        lines.stream().map(UpcomingInvoiceApiIT::comparable).toList());
    }

    /** An organization with Seats (a distinct count, 2.00 a user), {@code ext} subscribed from Apr 1. */
    private Tenant distinctUsers(String ext) {
        String org = api.newOrganizationFinalizingAtOnce("Distinct " + ext);
        String key = api.newKey(org);
        id(api.post(key, "/v1/products", Map.of("featureKey", "seats", "name", "Seats")));
        String seats = id(api.post(key, "/v1/prices", Map.of("product", "seats", "unitAmount", "2")));
        id(api.post(key, "/v1/customers", Map.of("externalId", ext)));
        String subscription = id(api.post(
                key,
                "/v1/subscriptions",
                Map.of("customer", ext, "items", List.of(Map.of("price", seats)), "startAt", APR_1.toString())));
        BillingFixtures ledger = BillingFixtures.on(database.jdbi());
        ledger.statement(org, ext, "seats", Instant.parse("2026-04-05T10:00:00Z"))
                .aggregation("unique_count")
                .distinct("ann", "bob")
                .events(2)
                .insert();
        ledger.statement(org, ext, "seats", Instant.parse("2026-04-10T11:00:00Z"))
                .aggregation("unique_count")
                .distinct("bob", "cy")
                .events(2)
                .insert();
        METERING.add(
                FakeMetering.Minute.distinct(ext, "seats", Instant.parse("2026-04-05T10:07:00Z"), 2, "ann", "bob"));
        METERING.add(FakeMetering.Minute.distinct(ext, "seats", Instant.parse("2026-04-10T11:30:00Z"), 2, "bob", "cy"));
        // the open hour: cy again, and dee
        METERING.add(FakeMetering.Minute.distinct(ext, "seats", Instant.parse("2026-04-10T12:05:00Z"), 2, "cy", "dee"));
        return new Tenant(org, ext, key, null, seats, subscription);
    }

    /**
     * <pre>
     *  Apr 1          Apr 5 10:00     Apr 10 11:00    12:05 (open hour)   12:30 (now)          May 1
     *  Seats from     ledger: ann,    ledger: bob,    metering: cy, dee   draft: metering's    the cycle
     *  here           bob             cy                                  April count, 4 users invoices 4
     * </pre>
     */
    @Test
    void shouldCountADistinctFeatureOverThePeriodWithMeteringAsTheCycleThenInvoicesIt() {
        Tenant t = distinctUsers("distinct");

        Reply draft = api.get(t.key(), "/v1/customers/distinct/upcoming-invoice");

        assertThat(draft.code()).as("%s", draft.body()).isEqualTo(200);
        List<Map<String, Object>> lines = ApiCalls.list(draft.body().get("lines"));
        assertThat(lines).singleElement().satisfies(usage -> {
            assertThat(new BigDecimal((String) usage.get("quantity")))
                    .as("ann, bob, cy and dee: the ledger's three and the open hour's new one")
                    .isEqualByComparingTo("4");
            assertThat(usage).containsEntry("amount", "8.00").containsEntry("liveUsage", "included");
        });
        assertThat(METERING.queries().getLast().parameters())
                .containsEntry("window", "month")
                .containsEntry("from", APR_1.toString())
                .containsEntry("to", NOW.toString());

        BillingFixtures.on(database.jdbi())
                .statement(t.org(), "distinct", "seats", Instant.parse("2026-04-10T12:00:00Z"))
                .aggregation("unique_count")
                .distinct("cy", "dee")
                .events(2)
                .insert();
        CLOCK.set(MAY_1.plusSeconds(120));
        assertThat(invoicing.bill(t.subscription(), MAY_1).invoice()).isPresent();
        assertThat(ApiCalls.list(invoices(t).getFirst().get("lines")))
                .extracting(UpcomingInvoiceApiIT::comparable)
                .containsExactlyInAnyOrderElementsOf(
                        lines.stream().map(UpcomingInvoiceApiIT::comparable).toList());
    }

    @Test
    void shouldDraftADistinctFeatureFromTheLedgerAloneAndSaySoWhenMeteringNoLongerHoldsThePeriodsStart() {
        Tenant t = distinctUsers("forgotten");
        // metering's live retention has dropped the hours before Apr 10: its April count would miss ann
        METERING.forget("forgotten", Instant.parse("2026-04-10T00:00:00Z"));

        Reply draft = api.get(t.key(), "/v1/customers/forgotten/upcoming-invoice");

        assertThat(draft.code()).as("%s", draft.body()).isEqualTo(200);
        assertThat(draft.body()).containsEntry("liveUsage", "included");
        Map<String, Object> usage = ApiCalls.list(draft.body().get("lines")).getFirst();
        assertThat(new BigDecimal((String) usage.get("quantity")))
                .as("the ledger's ann, bob and cy: never metering's partial count")
                .isEqualByComparingTo("3");
        assertThat(usage).containsEntry("amount", "6.00").containsEntry("liveUsage", "excluded");
    }

    @Test
    void shouldHoldNoDatabaseTransactionOpenWhileMeteringAnswers() {
        Tenant t = subscribed("patient");
        List<Long> openWhileAsked = new CopyOnWriteArrayList<>();
        // metering's handler asks PostgreSQL, on a connection of its own, which transactions wait idle meanwhile
        // (the outbox relay's own rounds aside: it may be publishing the April invoice's event)
        METERING.beforeAnswer(() -> openWhileAsked.add(
                database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                + " current_database() AND pid <> pg_backend_pid()"
                                + " AND state LIKE 'idle in transaction%' AND query NOT ILIKE '%outbox%'")
                        .mapTo(Long.class)
                        .one())));
        Reply draft;
        try {
            draft = api.get(t.key(), "/v1/customers/patient/upcoming-invoice");
        } finally {
            METERING.beforeAnswer(() -> {});
        }

        assertThat(draft.code()).as("%s", draft.body()).isEqualTo(200);
        assertThat(draft.body()).containsEntry("liveUsage", "included");
        assertThat(openWhileAsked)
                .as("transactions left open while metering was being asked, per query")
                .isNotEmpty()
                .containsOnly(0L);
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
