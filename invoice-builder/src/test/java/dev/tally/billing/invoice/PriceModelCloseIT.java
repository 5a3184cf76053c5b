package dev.tally.billing.invoice;

import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The manual close of a subscription with three items (real PostgreSQL, through the API; the billing cycle is
 * off, so the close alone bills): API calls graduated with 100 free units a month and a 20.00 minimum (up to
 * 1,000 at 0.05, up to 5,000 at 0.02 plus 10.00 once reached, beyond at 0.01), storage per_unit at 0.125, and
 * a Pro plan flat fee of 49.00 (the cycle's to bill, never the close's).
 *
 * <pre>
 *            Nov                                      Dec                                  Jan
 *  calls   w1 = 300 (3 events) → 200 billable     │ w1 r1 = 1,400 (14 events): Nov now    │
 *          at 0.05 = 10.00 → the 20.00 minimum    │ 1,300 billable → 50.00 + 10.00 + 6.00 │
 *                                                 │ = 66.00: adjustment +1,100, +46.00    │
 *                                                 │ Dec 50 → all free → the 20.00 minimum │
 *  storage 2 × 0.125 = 0.25                       │ none: 0                               │
 *  Pro     (flat fee: not on the close's invoices)
 * </pre>
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PriceModelCloseIT implements TestPropertyProvider {

    private static final String NOV = "2026-11-01T00:00:00Z";
    private static final String DEC = "2026-12-01T00:00:00Z";
    private static final String JAN = "2027-01-01T00:00:00Z";
    private static final Instant W1 = Instant.parse("2026-11-02T10:00:00Z");

    @Inject
    ApiCalls api;

    private TestPostgres.Database database;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        Map<String, String> properties = TestServer.properties(database, "model-close");
        properties.put("tally.billing.cycle.enabled", "false");
        return properties;
    }

    @Test
    void shouldCloseAGraduatedPriceWithFreeUnitsAndAMinimumAndAdjustARestatementAcrossATierEdgeAsQuoted() {
        String org = api.newOrganization("Models");
        String key = api.newKey(org);
        api.post(key, "/v1/products", Map.of("featureKey", "calls", "name", "API calls"));
        api.post(key, "/v1/products", Map.of("featureKey", "storage", "name", "Storage"));
        String calls = id(api.post(
                key,
                "/v1/prices",
                Map.of(
                        "product",
                        "calls",
                        "model",
                        "graduated",
                        "freeUnits",
                        "100",
                        "minimumAmount",
                        "20",
                        "tiers",
                        List.of(
                                Map.of("upTo", "1000", "unitAmount", "0.05"),
                                Map.of("upTo", "5000", "unitAmount", "0.02", "flatAmount", "10"),
                                Map.of("unitAmount", "0.01")))));
        String storage = id(api.post(key, "/v1/prices", Map.of("product", "storage", "unitAmount", "0.125")));
        String proProduct = id(api.post(key, "/v1/products", Map.of("type", "recurring", "name", "Pro plan")));
        String pro = id(api.post(
                key,
                "/v1/prices",
                Map.of("product", proProduct, "model", "flat", "flatAmount", "49", "interval", "month")));
        id(api.post(key, "/v1/customers", Map.of("externalId", "acme")));
        id(api.post(
                key,
                "/v1/subscriptions",
                Map.of(
                        "customer",
                        "acme",
                        "items",
                        List.of(
                                Map.of("price", pro, "quantity", 1),
                                Map.of("price", calls),
                                Map.of("price", storage)))));
        BillingFixtures fixtures = BillingFixtures.on(Jdbi.create(database.dataSource())
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin()));
        fixtures.statement(org, "acme", "calls", W1).quantity("300").events(3).insert();
        fixtures.statement(org, "acme", "storage", Instant.parse("2026-11-03T00:00:00Z"))
                .quantity("2")
                .insert();

        Map<String, Object> november = onlyInvoice(close(key, NOV, DEC));

        assertThat(november.get("totalMinor")).isEqualTo(2000 + 25);
        assertThat(lines(november))
                .extracting(
                        l -> l.get("kind"),
                        l -> l.get("price"),
                        l -> l.get("periodStart"),
                        l -> quantity(l, "quantity"),
                        l -> l.get("unitAmount"),
                        l -> l.get("amountMinor"))
                .containsExactly(
                        tuple("usage", calls, NOV, "300", null, 2000),
                        tuple("usage", storage, NOV, "2", "0.125000000", 25));
        assertThat(quote(key, calls, "300", 3)).isEqualTo(2000);

        // w1 restated: November's usage crosses the 1,000-unit tier edge; December's stays within the free units
        fixtures.statement(org, "acme", "calls", W1)
                .revision(1)
                .quantity("1400")
                .events(14)
                .insert();
        fixtures.statement(org, "acme", "calls", Instant.parse("2026-12-05T00:00:00Z"))
                .quantity("50")
                .insert();

        Map<String, Object> december = onlyInvoice(close(key, DEC, JAN));

        assertThat(lines(december))
                .extracting(
                        l -> l.get("kind"),
                        l -> l.get("price"),
                        l -> l.get("periodStart"),
                        l -> quantity(l, "quantity"),
                        l -> quantity(l, "previousQuantity"),
                        l -> l.get("amountMinor"))
                .containsExactly(
                        tuple("usage", calls, DEC, "50", null, 2000),
                        tuple("usage", storage, DEC, "0", null, 0),
                        tuple("adjustment", calls, NOV, "1100", "300", 4600));
        assertThat(december.get("totalMinor")).isEqualTo(2000 + 4600);
        assertThat(quote(key, calls, "50", 1)).as("December as quoted").isEqualTo(2000);
        assertThat(quote(key, calls, "1400", 14))
                .as("November's usage line and adjustment add up to a quote of its usage now")
                .isEqualTo(6600)
                .isEqualTo(2000 + 4600);
        assertThat(lines(november))
                .as("the flat fee is the cycle's to bill")
                .noneMatch(l -> pro.equals(l.get("price")));
        assertThat(lines(december)).noneMatch(l -> pro.equals(l.get("price")));
        assertThat(storedLines(december))
                .as("the events behind each line's usage as it stands now, as the cycle records them")
                .extracting(InvoiceLine::kind, InvoiceLine::eventCount)
                .containsExactly(tuple(LineKind.USAGE, 1L), tuple(LineKind.USAGE, 0L), tuple(LineKind.ADJUSTMENT, 14L));
        assertThat(unbilled()).as("every statement is billed once").isZero();

        Reply again = api.post(key, "/v1/billing-periods/close", Map.of("periodStart", DEC, "periodEnd", JAN));
        assertThat(again.code()).as("closing December again creates nothing").isEqualTo(200);
        assertThat(onlyInvoice(again.body()).get("id")).isEqualTo(december.get("id"));
    }

    private Map<String, Object> close(String key, String start, String end) {
        Reply closed = api.post(key, "/v1/billing-periods/close", Map.of("periodStart", start, "periodEnd", end));
        assertThat(closed.code()).as("%s", closed.body()).isEqualTo(201);
        assertThat(list(closed.body().get("failures"))).isEmpty();
        return closed.body();
    }

    private static Map<String, Object> onlyInvoice(Map<String, Object> closed) {
        List<Map<String, Object>> invoices = list(closed.get("invoices"));
        assertThat(invoices).hasSize(1);
        return invoices.getFirst();
    }

    private static List<Map<String, Object>> lines(Map<String, Object> invoice) {
        return list(invoice.get("lines"));
    }

    /** A quantity of {@code line} without its trailing zeros: "300", "0". */
    private static String quantity(Map<String, Object> line, String field) {
        Object value = line.get(field);
        return value == null
                ? null
                : new BigDecimal((String) value).stripTrailingZeros().toPlainString();
    }

    private long quote(String key, String price, String quantity, long events) {
        Reply quote =
                api.post(key, "/v1/prices/" + price + "/quote", Map.of("quantity", quantity, "eventCount", events));
        assertThat(quote.code()).as("%s", quote.body()).isEqualTo(200);
        return ((Number) quote.body().get("amountMinor")).longValue();
    }

    private List<InvoiceLine> storedLines(Map<String, Object> invoice) {
        return Jdbi.create(database.dataSource()).withHandle(h -> new InvoiceDao(h).lines((String) invoice.get("id")));
    }

    private long unbilled() {
        return Jdbi.create(database.dataSource()).withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM billing.usage_ledger WHERE invoice_line_id IS NULL")
                .mapTo(Long.class)
                .one());
    }

    private static String id(Reply reply) {
        assertThat(reply.code()).as("%s", reply.body()).isEqualTo(201);
        return (String) reply.body().get("id");
    }
}
