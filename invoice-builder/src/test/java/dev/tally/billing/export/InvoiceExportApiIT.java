package dev.tally.billing.export;

import static dev.tally.billing.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.billing.InvoiceFixtures.Usage;
import dev.tally.billing.TestServer;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CSV exports over HTTP on a real PostgreSQL, read back with a separate RFC 4180 reader. The cursor
 * fetches two rows at a time, so every export here spans several fetches.
 *
 * <pre>
 *  created:  Oct 31 23:59:59 | Nov 5          | Nov 6 (other org) | Nov 10          | Dec 2
 *            quote, USD      | quote, USD     | other, USD        | tokyo, JPY      | quote, USD
 *            before the range| 0.52 + 0.15    | not this key's    | 21 JPY          | after the range
 *                            | paid 0.30      |                   |                 |
 *  export from Nov 1 to Dec 1: the Nov 5 and Nov 10 invoices, in that order
 * </pre>
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvoiceExportApiIT implements TestPropertyProvider {

    private static final String NAME = "Acme, \"Quoted\"\nLtd";
    private static final UsagePeriod OCT = period("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z");
    private static final UsagePeriod NOV = period("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");
    private static final UsagePeriod DEC = period("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z");
    private static final String RANGE = "from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z";

    @Inject
    ApiCalls api;

    @Inject
    @Client("/")
    HttpClient http;

    private TestPostgres.Database database;
    private String key;
    private String quoteCustomer;
    private String november;
    private String tokyo;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        Map<String, String> properties = TestServer.properties(database, "export");
        properties.put("tally.billing.exports.fetch-size", "2");
        return properties;
    }

    @BeforeAll
    void issueInvoices() {
        String org = api.newOrganization("Exporter");
        key = api.newKey(org);
        quoteCustomer = customer(key, "quote", "Acme, \"Quoted\"");
        String tokyoCustomer = customer(key, "tokyo", "Tokyo KK");
        String other = api.newOrganization("Other");
        String otherCustomer = customer(api.newKey(other), "quote", "Someone else");

        Jdbi jdbi = Jdbi.create(database.dataSource());
        // a line break is refused by the API in a name, but a name may hold one from before that rule
        jdbi.useHandle(h -> h.execute("UPDATE billing.customers SET name = ? WHERE id = ?", NAME, quoteCustomer));
        InvoiceFixtures invoices = new InvoiceFixtures(jdbi);
        invoices.price(org, "price_usd", "ai_call", "USD", "0.05");
        invoices.price(org, "price_jpy", "ai_call_jp", "JPY", "3");
        invoices.price(other, "price_other", "ai_call", "USD", "0.05");

        invoices.issue(org, quoteCustomer, "USD", OCT, Instant.parse("2026-10-31T23:59:59Z"), List.of(usd("1", 5)));
        november = invoices.issue(
                org,
                quoteCustomer,
                "USD",
                NOV,
                Instant.parse("2026-11-05T12:00:00Z"),
                List.of(usd("10.5", 52), usd("3", 15)));
        invoices.pay(november, "tx-1", "0.3000000");
        invoices.issue(
                other,
                otherCustomer,
                "USD",
                NOV,
                Instant.parse("2026-11-06T00:00:00Z"),
                List.of(new Usage("price_other", "ai_call", "1", "0.05", 5)));
        tokyo = invoices.issue(
                org,
                tokyoCustomer,
                "JPY",
                NOV,
                Instant.parse("2026-11-10T00:00:00Z"),
                List.of(new Usage("price_jpy", "ai_call_jp", "7", "3", 21)));
        invoices.issue(org, quoteCustomer, "USD", DEC, Instant.parse("2026-12-02T00:00:00Z"), List.of(usd("2", 10)));
    }

    @Test
    void shouldExportTheInvoicesCreatedInTheRangeOldestFirstWithAmountsAtTheirCurrencysScale() {
        HttpResponse<String> response = csv("/v1/exports/invoices.csv?" + RANGE);

        assertThat(response.code()).isEqualTo(200);
        assertThat(response.header(HttpHeaders.CONTENT_TYPE)).startsWith("text/csv");
        assertThat(CsvRecords.parse(response.body()).getFirst())
                .isEqualTo(ExportColumns.INVOICES.names())
                .startsWith("invoice_id", "number", "status")
                .endsWith("total", "amount_paid", "amount_due");
        List<Map<String, String>> rows = CsvRecords.rows(response.body());
        assertThat(rows).extracting(r -> r.get("invoice_id")).containsExactly(november, tokyo);
        assertThat(rows.get(0))
                .containsEntry("customer_id", quoteCustomer)
                .containsEntry("customer_external_id", "quote")
                .containsEntry("customer_name", NAME)
                .containsEntry("status", "finalized")
                .containsEntry("currency", "USD")
                .containsEntry("created_at", "2026-11-05T12:00:00Z")
                .containsEntry("period_start", "2026-11-01T00:00:00Z")
                .containsEntry("line_count", "2")
                .containsEntry("total", "0.67")
                .containsEntry("amount_paid", "0.30")
                .containsEntry("amount_due", "0.37")
                .containsEntry("paid_at", "")
                .containsEntry("subscription_id", "");
        assertThat(rows.get(1))
                .containsEntry("currency", "JPY")
                .containsEntry("total", "21")
                .containsEntry("amount_paid", "0")
                .containsEntry("amount_due", "21");
    }

    @Test
    void shouldQuoteANameWithACommaAQuoteAndALineBreakAsRfc4180Says() {
        String body = csv("/v1/exports/invoices.csv?" + RANGE).body();

        assertThat(body).contains(",\"Acme, \"\"Quoted\"\"\nLtd\",").contains("\r\n");
    }

    @Test
    void shouldExportEveryLineOfTheInvoicesInTheirOrder() {
        List<Map<String, String>> rows =
                CsvRecords.rows(csv("/v1/exports/invoice-lines.csv?" + RANGE).body());

        assertThat(CsvRecords.parse(
                                csv("/v1/exports/invoice-lines.csv?" + RANGE).body())
                        .getFirst())
                .isEqualTo(ExportColumns.LINES.names());
        assertThat(rows).extracting(r -> r.get("invoice_id")).containsExactly(november, november, tokyo);
        assertThat(rows).extracting(r -> r.get("amount")).containsExactly("0.52", "0.15", "21");
        assertThat(rows.get(0))
                .containsEntry("customer_name", NAME)
                .containsEntry("kind", "usage")
                .containsEntry("description", "ai_call usage, 2026-11-01T00:00:00Z to 2026-12-01T00:00:00Z")
                .containsEntry("quantity", "10.500000000")
                .containsEntry("unit_amount", "0.050000000")
                .containsEntry("previous_quantity", "")
                .containsEntry("price_id", "price_usd")
                .containsEntry("period_end", "2026-12-01T00:00:00Z")
                .containsEntry("invoice_created_at", "2026-11-05T12:00:00Z");
        assertThat(rows.get(2)).containsEntry("currency", "JPY").containsEntry("unit_amount", "3.000000000");
    }

    @Test
    void shouldExportOnlyTheInvoicesOfTheFilters() {
        assertThat(ids("/v1/exports/invoices.csv?" + RANGE + "&currency=JPY")).containsExactly(tokyo);
        assertThat(ids("/v1/exports/invoices.csv?" + RANGE + "&customer=quote")).containsExactly(november);
        assertThat(ids("/v1/exports/invoices.csv?" + RANGE + "&customer=" + quoteCustomer))
                .containsExactly(november);
        assertThat(ids("/v1/exports/invoice-lines.csv?" + RANGE + "&customer=quote&status=finalized"))
                .containsExactly(november, november);
        assertThat(ids("/v1/exports/invoices.csv?" + RANGE + "&status=paid")).isEmpty();
        assertThat(ids("/v1/exports/invoices.csv?from=2026-10-31T23:59:59Z&to=2026-11-05T12:00:00Z"))
                .as("from is inclusive, to exclusive")
                .hasSize(1)
                .doesNotContain(november);
    }

    @Test
    void shouldRefuseABadRangeOrFilterNamingTheField() {
        assertError(api.get(key, "/v1/exports/invoices.csv?to=2026-12-01T00:00:00Z"), 400, "invalid_request", "from");
        assertError(
                api.get(key, "/v1/exports/invoice-lines.csv?from=2026-11-01T00:00:00Z"), 400, "invalid_request", "to");
        assertError(
                api.get(key, "/v1/exports/invoices.csv?from=2026-11-01&to=2026-12-01T00:00:00Z"),
                400,
                "invalid_request",
                "from");
        assertError(
                api.get(key, "/v1/exports/invoices.csv?from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z"),
                400,
                "invalid_request",
                "to");
        assertError(
                api.get(key, "/v1/exports/invoices.csv?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z"),
                400,
                "invalid_request",
                "to");
        // 366 days is the default maximum: 2025-01-01 to 2026-01-03 is 367
        assertError(
                api.get(key, "/v1/exports/invoice-lines.csv?from=2025-01-01T00:00:00Z&to=2026-01-03T00:00:00Z"),
                400,
                "invalid_request",
                "to");
        assertThat(csv("/v1/exports/invoices.csv?from=2025-12-01T00:00:00Z&to=2026-12-01T00:00:00Z")
                        .code())
                .isEqualTo(200);
        assertError(
                api.get(key, "/v1/exports/invoices.csv?" + RANGE + "&status=voided"), 400, "invalid_request", "status");
        assertError(
                api.get(key, "/v1/exports/invoices.csv?" + RANGE + "&currency=XYZ"),
                400,
                "invalid_request",
                "currency");
        assertError(
                api.get(key, "/v1/exports/invoices.csv?" + RANGE + "&customer=nobody"),
                400,
                "invalid_request",
                "customer");
        assertError(
                api.get(key, "/v1/exports/invoices.csv?" + RANGE + "&customer=a%2Fb"),
                400,
                "invalid_request",
                "customer");
        assertError(api.get("mk_test_nope", "/v1/exports/invoices.csv?" + RANGE), 401, "invalid_api_key", null);
    }

    private List<String> ids(String path) {
        return CsvRecords.rows(csv(path).body()).stream()
                .map(r -> r.get("invoice_id"))
                .toList();
    }

    private HttpResponse<String> csv(String path) {
        return http.toBlocking().exchange(HttpRequest.GET(path).bearerAuth(key), String.class);
    }

    private String customer(String key, String externalId, String name) {
        ApiCalls.Reply reply = api.post(key, "/v1/customers", Map.of("externalId", externalId, "name", name));
        assertThat(reply.code()).as("customer %s: %s", externalId, reply.body()).isEqualTo(201);
        return (String) reply.body().get("id");
    }

    private static Usage usd(String quantity, long amountMinor) {
        return new Usage("price_usd", "ai_call", quantity, "0.05", amountMinor);
    }

    private static UsagePeriod period(String start, String end) {
        return new UsagePeriod(Instant.parse(start), Instant.parse(end));
    }
}
