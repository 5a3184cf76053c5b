package dev.tally.billing.invoice;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.billing.InvoiceFixtures.Usage;
import dev.tally.billing.MutableClock;
import dev.tally.billing.PlacedClocks;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /v1/invoices with its filters, each bad value a 400 naming its parameter, cursor pages under a filter, and
 * the page's lines read in one statement whatever its size. The invoices, by the clock at 12-01 (net_30):
 *
 * <pre>
 *   created      10-05 ─ A c1 USD 10.00 open, due 11-04: overdue at 12-01
 *                11-05 ─ B c1 USD 25.00 open, due 12-05
 *                11-10 ─ C c2 EUR  7.00 paid, due 12-10
 *                11-20 ─ D c2 USD draft, no number
 * </pre>
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvoiceListApiIT implements TestPropertyProvider {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final MutableClock CLOCK = PlacedClocks.place("invoice-list", new MutableClock(NOW));

    @Inject
    ApiCalls api;

    @Inject
    BillingDatabase billing;

    @Inject
    @Client("/")
    HttpClient http;

    private TestPostgres.Database database;
    private String key;
    private String a;
    private String aNumber;
    private String b;
    private String c;
    private String d;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        Map<String, String> properties = TestServer.properties(database, "invoice-list");
        properties.put(PlacedClocks.PROPERTY, "invoice-list");
        properties.put("tally.billing.overdue.enabled", "false");
        properties.put("tally.billing.billing-state.enabled", "false");
        return properties;
    }

    @BeforeAll
    void issueTheInvoices() {
        String org = api.newOrganization("List Co");
        key = api.newKey(org);
        String c1 = (String) api.post(key, "/v1/customers", Map.of("externalId", "c1"))
                .body()
                .get("id");
        String c2 = (String) api.post(key, "/v1/customers", Map.of("externalId", "c2"))
                .body()
                .get("id");
        InvoiceFixtures invoices = new InvoiceFixtures(billing.jdbi());
        invoices.price(org, "price_usd", "ai_call", "USD", "0.05");
        invoices.price(org, "price_eur", "eu_call", "EUR", "0.07");
        a = invoices.issue(
                org,
                c1,
                "USD",
                period("2026-09-01", "2026-10-01"),
                Instant.parse("2026-10-05T00:00:00Z"),
                List.of(new Usage("price_usd", "ai_call", "200", "0.05", 1000)));
        b = invoices.issue(
                org,
                c1,
                "USD",
                period("2026-10-01", "2026-11-01"),
                Instant.parse("2026-11-05T00:00:00Z"),
                List.of(
                        new Usage("price_usd", "ai_call", "200", "0.05", 1000),
                        new Usage("price_usd", "ai_call", "300", "0.05", 1500)));
        c = invoices.issue(
                org,
                c2,
                "EUR",
                period("2026-10-01", "2026-11-01"),
                Instant.parse("2026-11-10T00:00:00Z"),
                List.of(new Usage("price_eur", "eu_call", "100", "0.07", 700)));
        d = invoices.draft(
                org,
                c2,
                "USD",
                period("2026-11-01", "2026-12-01"),
                Instant.parse("2026-11-20T00:00:00Z"),
                List.of(new Usage("price_usd", "ai_call", "20", "0.05", 100)));
        assertThat(api.post(key, "/v1/invoices/" + c + "/pay", Map.of("paidOutOfBand", true))
                        .code())
                .isEqualTo(200);
        aNumber = (String) api.get(key, "/v1/invoices/" + a).body().get("number");
    }

    private static UsagePeriod period(String start, String end) {
        return new UsagePeriod(Instant.parse(start + "T00:00:00Z"), Instant.parse(end + "T00:00:00Z"));
    }

    private List<String> ids(String query) {
        ApiCalls.Reply reply = api.get(key, "/v1/invoices?" + query);
        assertThat(reply.code()).as("%s: %s", query, reply.body()).isEqualTo(200);
        return list(reply.body().get("data")).stream()
                .map(invoice -> (String) invoice.get("id"))
                .toList();
    }

    @Test
    void shouldFilterByEachParameter() {
        assertThat(ids("limit=100")).containsExactly(d, c, b, a);
        assertThat(ids("status=overdue")).containsExactly(a);
        assertThat(ids("status=finalized")).containsExactly(b, a);
        assertThat(ids("status=draft")).containsExactly(d);
        assertThat(ids("customer=c2")).containsExactly(d, c);
        assertThat(ids("number=" + aNumber)).containsExactly(a);
        assertThat(ids("periodFrom=2026-10-01T00:00:00Z&periodTo=2026-11-01T00:00:00Z"))
                .containsExactly(c, b);
        assertThat(ids("periodTo=2026-10-01T00:00:00Z")).containsExactly(a);
        // created in [createdFrom, createdTo): C, created at 11-10 exactly, is not in it
        assertThat(ids("createdFrom=2026-11-01T00:00:00Z&createdTo=2026-11-10T00:00:00Z"))
                .containsExactly(b);
        assertThat(ids("dueFrom=2026-12-01T00:00:00Z&dueTo=2027-01-01T00:00:00Z"))
                .containsExactly(c, b);
        assertThat(ids("amountMin=10&amountMax=25.00&currency=USD")).containsExactly(b, a);
        assertThat(ids("amountMin=10.01&currency=USD")).containsExactly(b);
        assertThat(ids("amountMax=9.99&currency=usd")).containsExactly(d);
        assertThat(ids("currency=EUR")).containsExactly(c);
        assertThat(ids("customer=c1&status=overdue&currency=USD")).containsExactly(a);
    }

    @Test
    void shouldPageWithTheCursorUnderAFilterDraftsIncluded() {
        List<String> seen = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            ApiCalls.Reply page = api.get(
                    key, "/v1/invoices?currency=USD&limit=1" + (after == null ? "" : "&startingAfter=" + after));
            List<Map<String, Object>> data = list(page.body().get("data"));
            assertThat(data).hasSize(1);
            after = (String) data.getFirst().get("id");
            seen.add(after);
            more = (Boolean) page.body().get("hasMore");
        }
        assertThat(seen).containsExactly(d, b, a);
    }

    @Test
    void shouldRefuseEachBadValueNamingItsParameter() {
        assertError(api.get(key, "/v1/invoices?status=open"), 400, "invalid_request", "status");
        assertError(api.get(key, "/v1/invoices?customer=nobody"), 400, "invalid_request", "customer");
        assertError(api.get(key, "/v1/invoices?number="), 400, "invalid_request", "number");
        assertError(api.get(key, "/v1/invoices?periodFrom=october"), 400, "invalid_request", "periodFrom");
        assertError(
                api.get(key, "/v1/invoices?periodFrom=2026-11-01T00:00:00Z&periodTo=2026-10-01T00:00:00Z"),
                400,
                "invalid_request",
                "periodTo");
        assertError(api.get(key, "/v1/invoices?createdTo=yesterday"), 400, "invalid_request", "createdTo");
        assertError(
                api.get(key, "/v1/invoices?createdFrom=2026-11-01T00:00:00Z&createdTo=2026-11-01T00:00:00Z"),
                400,
                "invalid_request",
                "createdTo");
        assertError(api.get(key, "/v1/invoices?dueFrom=2026-13-01T00:00:00Z"), 400, "invalid_request", "dueFrom");
        assertError(
                api.get(key, "/v1/invoices?dueFrom=2026-12-01T00:00:00Z&dueTo=2026-11-01T00:00:00Z"),
                400,
                "invalid_request",
                "dueTo");
        assertError(api.get(key, "/v1/invoices?amountMin=10"), 400, "invalid_request", "amountMin");
        assertError(api.get(key, "/v1/invoices?amountMax=ten&currency=USD"), 400, "invalid_request", "amountMax");
        assertError(api.get(key, "/v1/invoices?amountMin=10.001&currency=USD"), 400, "invalid_request", "amountMin");
        assertError(
                api.get(key, "/v1/invoices?amountMin=20&amountMax=10&currency=USD"),
                400,
                "invalid_request",
                "amountMax");
        assertError(api.get(key, "/v1/invoices?currency=ABC"), 400, "invalid_request", "currency");
    }

    @Test
    void shouldExportWithTheListsFilters() {
        String csv = http.toBlocking()
                .retrieve(
                        HttpRequest.GET("/v1/exports/invoices.csv?from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z"
                                        + "&status=overdue")
                                .bearerAuth(key),
                        String.class);
        assertThat(csv).contains(a).doesNotContain(b).doesNotContain(c).doesNotContain(d);
        assertError(
                api.get(key, "/v1/exports/invoices.csv?from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z&amountMin=1"),
                400,
                "invalid_request",
                "amountMin");
    }

    /** Counts the statements that read invoice lines, payments or payment requests. */
    private static final class DetailStatements implements SqlLogger {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void logAfterExecution(StatementContext context) {
            String sql = context.getRenderedSql();
            if (sql.contains("invoice_lines") || sql.contains("invoice_payments") || sql.contains("payment_requests")) {
                count.incrementAndGet();
            }
        }
    }

    @Test
    void shouldReadThePagesLinesInOneStatementWhateverItsSize() {
        DetailStatements statements = new DetailStatements();
        billing.jdbi().setSqlLogger(statements);
        try {
            assertThat(ids("limit=1")).hasSize(1);
            int onePage = statements.count.getAndSet(0);
            assertThat(ids("limit=4")).hasSize(4);
            int fourPage = statements.count.get();
            // one for the lines, one for the payments, one for the payment requests
            assertThat(onePage).isEqualTo(3);
            assertThat(fourPage).isEqualTo(onePage);
        } finally {
            billing.jdbi().setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
        }
        List<Map<String, Object>> all =
                list(api.get(key, "/v1/invoices?limit=4").body().get("data"));
        assertThat(all).extracting(invoice -> list(invoice.get("lines")).size()).containsExactly(1, 1, 2, 1);
    }
}
