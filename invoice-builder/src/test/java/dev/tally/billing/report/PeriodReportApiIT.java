package dev.tally.billing.report;

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
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.testkit.TestPostgres;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /v1/reports/invoices: per currency, what the invoices finalized in the range billed, what was paid on them,
 * what is still due and, of it, overdue; the figures are the sums of what the invoices themselves show. By the
 * clock at 12-01 (net_30), for the range [10-01, 12-01):
 *
 * <pre>
 *   finalized 09-20 ─ Z USD 99.00 open        (before the range: not counted)
 *             10-05 ─ A USD 10.00 open, overdue since 11-04
 *             11-05 ─ B USD 25.00 open, 3.005 USDC paid on Stellar (3.00 counts), 5.00 credited by a credit note
 *             11-07 ─ P USD  6.00 wholly credited by a credit note, so paid
 *             11-08 ─ V USD  4.00 void
 *             11-10 ─ C EUR  7.00 paid out of band
 *             11-20 ─ D USD draft (not issued)
 * </pre>
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeriodReportApiIT implements TestPropertyProvider {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final MutableClock CLOCK = PlacedClocks.place("period-report", new MutableClock(NOW));
    private static final String RANGE = "from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z";

    @Inject
    ApiCalls api;

    @Inject
    BillingDatabase billing;

    private TestPostgres.Database database;
    private String key;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        Map<String, String> properties = TestServer.properties(database, "period-report");
        properties.put(PlacedClocks.PROPERTY, "period-report");
        properties.put("tally.billing.overdue.enabled", "false");
        properties.put("tally.billing.billing-state.enabled", "false");
        return properties;
    }

    @BeforeAll
    void issueTheInvoices() {
        String org = api.newOrganization("Report Co");
        key = api.newKey(org);
        String c1 = (String) api.post(key, "/v1/customers", Map.of("externalId", "c1"))
                .body()
                .get("id");
        InvoiceFixtures invoices = new InvoiceFixtures(billing.jdbi());
        invoices.price(org, "price_usd", "ai_call", "USD", "0.05");
        invoices.price(org, "price_eur", "eu_call", "EUR", "0.07");
        issue(invoices, org, c1, "USD", "2026-08-01", "2026-09-20", 9900);
        issue(invoices, org, c1, "USD", "2026-09-01", "2026-10-05", 1000);
        String b = issue(invoices, org, c1, "USD", "2026-10-01", "2026-11-05", 2500);
        invoices.pay(b, "tx-partial", "3.005");
        credit(b, Map.of("reason", "order_change", "amount", "5.00"));
        String p = issue(invoices, org, c1, "USD", "2026-10-01", "2026-11-07", 600);
        credit(p, Map.of("reason", "duplicate"));
        String v = issue(invoices, org, c1, "USD", "2026-10-01", "2026-11-08", 400);
        api.post(key, "/v1/invoices/" + v + "/void", Map.of("reason", "issued in error"));
        String c = issue(invoices, org, c1, "EUR", "2026-10-01", "2026-11-10", 700);
        api.post(key, "/v1/invoices/" + c + "/pay", Map.of("paidOutOfBand", true));
        invoices.draft(
                org,
                c1,
                "USD",
                period("2026-11-01", "2026-12-01"),
                Instant.parse("2026-11-20T00:00:00Z"),
                List.of(new Usage("price_usd", "ai_call", "20", "0.05", 100)));
    }

    private void credit(String invoice, Map<String, Object> body) {
        ApiCalls.Reply reply = api.post(key, "/v1/invoices/" + invoice + "/credit-notes", body);
        assertThat(reply.code()).as("%s", reply.body()).isEqualTo(201);
    }

    private static String issue(
            InvoiceFixtures invoices,
            String org,
            String customer,
            String currency,
            String periodStart,
            String at,
            long amountMinor) {
        Instant start = Instant.parse(periodStart + "T00:00:00Z");
        String price = currency.equals("USD") ? "price_usd" : "price_eur";
        String feature = currency.equals("USD") ? "ai_call" : "eu_call";
        return invoices.issue(
                org,
                customer,
                currency,
                new UsagePeriod(
                        start,
                        start.atZone(java.time.ZoneOffset.UTC).plusMonths(1).toInstant()),
                Instant.parse(at + "T00:00:00Z"),
                List.of(new Usage(price, feature, "1", "0.01", amountMinor)));
    }

    private static UsagePeriod period(String start, String end) {
        return new UsagePeriod(Instant.parse(start + "T00:00:00Z"), Instant.parse(end + "T00:00:00Z"));
    }

    private Map<String, Map<String, Object>> report() {
        ApiCalls.Reply reply = api.get(key, "/v1/reports/invoices?" + RANGE);
        assertThat(reply.code()).as("%s", reply.body()).isEqualTo(200);
        Map<String, Map<String, Object>> byCurrency = new TreeMap<>();
        list(reply.body().get("currencies")).forEach(c -> byCurrency.put((String) c.get("currency"), c));
        return byCurrency;
    }

    @Test
    void shouldAddUpBilledPaidOutstandingAndOverduePerCurrency() {
        Map<String, Map<String, Object>> report = report();
        assertThat(report).containsOnlyKeys("EUR", "USD");
        assertThat(report.get("USD"))
                .containsEntry("invoices", 3)
                .containsEntry("billedMinor", 4100)
                .containsEntry("billed", "41.00")
                .containsEntry("creditedMinor", 1100)
                .containsEntry("credited", "11.00")
                .containsEntry("paidMinor", 300)
                .containsEntry("outstandingMinor", 2700)
                .containsEntry("outstanding", "27.00")
                .containsEntry("overdueMinor", 1000)
                .containsEntry("voidedMinor", 400);
        assertThat(report.get("EUR"))
                .containsEntry("invoices", 1)
                .containsEntry("billedMinor", 700)
                .containsEntry("creditedMinor", 0)
                .containsEntry("paidMinor", 700)
                .containsEntry("outstandingMinor", 0)
                .containsEntry("overdueMinor", 0);
    }

    @Test
    void shouldAgreeWithTheSumOfTheInvoicesItCovers() {
        Instant from = Instant.parse("2026-10-01T00:00:00Z");
        Instant to = NOW;
        Map<String, long[]> sums = new TreeMap<>();
        for (Map<String, Object> invoice :
                list(api.get(key, "/v1/invoices?limit=100").body().get("data"))) {
            String finalized = (String) invoice.get("finalizedAt");
            if (finalized == null
                    || Instant.parse(finalized).isBefore(from)
                    || !Instant.parse(finalized).isBefore(to)
                    || invoice.get("status").equals("void")) {
                continue;
            }
            long[] s = sums.computeIfAbsent((String) invoice.get("currency"), c -> new long[5]);
            s[0] += ((Number) invoice.get("totalMinor")).longValue();
            s[1] += ((Number) invoice.get("amountPaidMinor")).longValue();
            s[2] += ((Number) invoice.get("amountDueMinor")).longValue();
            s[3] += Boolean.TRUE.equals(invoice.get("overdue"))
                    ? ((Number) invoice.get("amountDueMinor")).longValue()
                    : 0;
            s[4] += ((Number) invoice.get("amountCreditedMinor")).longValue();
        }
        Map<String, Map<String, Object>> report = report();
        assertThat(report.keySet()).isEqualTo(sums.keySet());
        sums.forEach((currency, s) -> assertThat(report.get(currency))
                .containsEntry("billedMinor", (int) s[0])
                .containsEntry("paidMinor", (int) s[1])
                .containsEntry("outstandingMinor", (int) s[2])
                .containsEntry("overdueMinor", (int) s[3])
                .containsEntry("creditedMinor", (int) s[4]));
    }

    @Test
    void shouldRefuseABadRangeNamingTheParameter() {
        assertError(api.get(key, "/v1/reports/invoices?to=2026-12-01T00:00:00Z"), 400, "invalid_request", "from");
        assertError(
                api.get(key, "/v1/reports/invoices?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z"),
                400,
                "invalid_request",
                "to");
        assertError(
                api.get(key, "/v1/reports/invoices?from=2020-01-01T00:00:00Z&to=2026-11-01T00:00:00Z"),
                400,
                "invalid_request",
                "to");
    }
}
