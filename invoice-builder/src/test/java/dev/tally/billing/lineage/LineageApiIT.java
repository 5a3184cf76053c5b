package dev.tally.billing.lineage;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The lineage and verify routes over HTTP: a November closed for customer c1 with two windows of {@code
 * calls} (0.05 a unit), one of them restated before the close.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LineageApiIT implements TestPropertyProvider {

    @Inject
    ApiCalls api;

    private TestPostgres.Database database;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        return TestServer.properties(database, "lineage");
    }

    @Test
    void shouldAnswerTheUsageOfALineAndVerifyItsInvoice() {
        String org = api.newOrganization("Acme");
        String key = api.newKey(org);
        assertThat(api.post(key, "/v1/products", Map.of("featureKey", "calls")).code())
                .isEqualTo(201);
        var price = api.post(key, "/v1/prices", Map.of("product", "calls", "currency", "USD", "unitAmount", "0.05"));
        assertThat(api.post(key, "/v1/customers", Map.of("externalId", "c1")).code())
                .isEqualTo(201);
        assertThat(api.post(
                                key,
                                "/v1/subscriptions",
                                Map.of("customer", "c1", "price", price.body().get("id")))
                        .code())
                .isEqualTo(201);
        BillingFixtures fixtures = BillingFixtures.on(Jdbi.create(database.dataSource())
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin()));
        Instant w1 = Instant.parse("2026-11-02T10:00:00Z");
        fixtures.statement(org, "c1", "calls", w1).quantity("3").events(3).insert();
        fixtures.statement(org, "c1", "calls", w1)
                .revision(1)
                .quantity("4")
                .events(4)
                .insert();
        fixtures.statement(org, "c1", "calls", Instant.parse("2026-11-03T10:00:00Z"))
                .quantity("2")
                .events(2)
                .insert();
        var close = api.post(
                key,
                "/v1/billing-periods/close",
                Map.of("periodStart", "2026-11-01T00:00:00Z", "periodEnd", "2026-12-01T00:00:00Z"));
        assertThat(close.code()).as("%s", close.body()).isEqualTo(201);
        Map<String, Object> invoice = list(close.body().get("invoices")).getFirst();
        String invoiceId = (String) invoice.get("id");
        String lineId = (String) list(invoice.get("lines")).getFirst().get("id");
        String usagePath = "/v1/invoices/" + invoiceId + "/lines/" + lineId + "/usage";

        var usage = api.get(key, usagePath + "?limit=1");
        assertThat(usage.code()).as("%s", usage.body()).isEqualTo(200);
        assertThat(usage.body()).containsEntry("kind", "usage").containsEntry("hasMore", true);
        Map<String, Object> window = list(usage.body().get("windows")).getFirst();
        assertThat(window).containsEntry("windowStart", w1.toString()).containsEntry("changed", true);
        assertThat(list(window.get("statements")))
                .extracting(s -> s.get("revision"), s -> s.get("eventCount"), s -> s.get("counted"))
                .containsExactly(tuple(0, 3, false), tuple(1, 4, true));
        var next = api.get(
                key,
                usagePath + "?limit=1&startingAfter="
                        + URLEncoder.encode((String) window.get("windowKey"), StandardCharsets.UTF_8));
        assertThat(list(next.body().get("windows"))).hasSize(1);
        assertThat(next.body()).containsEntry("hasMore", false);

        var verify = api.send(
                HttpRequest.POST("/v1/invoices/" + invoiceId + "/verify", "").bearerAuth(key));
        assertThat(verify.code()).as("%s", verify.body()).isEqualTo(200);
        assertThat(verify.body())
                .containsEntry("invoice", invoiceId)
                .containsEntry("verified", true)
                .containsEntry("differences", List.of());

        assertError(api.get(key, "/v1/invoices/" + invoiceId + "/lines/il_nope/usage"), 404, "not_found", null);
        assertError(api.get(key, usagePath + "?startingAfter=nope"), 400, "invalid_request", "startingAfter");
        String otherKey = api.newKey(api.newOrganization("Other"));
        assertError(api.get(otherKey, usagePath), 404, "not_found", null);
        assertError(
                api.send(HttpRequest.POST("/v1/invoices/" + invoiceId + "/verify", "")
                        .bearerAuth(otherKey)),
                404,
                "not_found",
                null);
    }
}
