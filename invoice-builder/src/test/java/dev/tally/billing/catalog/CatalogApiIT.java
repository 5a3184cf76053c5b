package dev.tally.billing.catalog;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.InvoiceFixtures;
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

/** The catalog's identifier rule and price bounds, and a close's failures, through the API (real PostgreSQL). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogApiIT implements TestPropertyProvider {

    @Inject
    ApiCalls api;

    private TestPostgres.Database database;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        return TestServer.properties(database, "catalog");
    }

    @Test
    void shouldAcceptEveryCustomerIdIngestAcceptsAndRefuseTheOthers() {
        String key = api.newKey(api.newOrganization("Ids"));

        for (String accepted : List.of("user+tag@example.com", "x~y=z", "cus_X1", "a".repeat(128))) {
            Reply created = api.post(key, "/v1/customers", Map.of("externalId", accepted));
            assertThat(created.code()).as("%s: %s", accepted, created.body()).isEqualTo(201);
            assertThat(created.body().get("externalId")).isEqualTo(accepted);
        }
        for (String refused : List.of("acct/42", "x~y=z#1", "a".repeat(129), "a b", "a%2F")) {
            assertError(
                    api.post(key, "/v1/customers", Map.of("externalId", refused)),
                    400,
                    "invalid_request",
                    "externalId");
        }
    }

    @Test
    void shouldAcceptPricesUpToTheBoundAndRefuseAboveIt() {
        String key = api.newKey(api.newOrganization("Prices"));
        String product = (String) api.post(key, "/v1/products", Map.of("featureKey", "ai_call"))
                .body()
                .get("id");

        Reply largest = api.post(key, "/v1/prices", Map.of("product", product, "unitAmount", "999999999999.999999999"));
        Reply exponent = api.post(key, "/v1/prices", Map.of("product", product, "unitAmount", "2.5e-1"));

        assertThat(largest.code()).as("%s", largest.body()).isEqualTo(201);
        assertThat(largest.body().get("unitAmount")).isEqualTo("999999999999.999999999");
        assertThat(exponent.body().get("unitAmount")).isEqualTo("0.250000000");
        for (String refused : List.of("1000000000000", "1e12", "1e15", "0.0000000001")) {
            assertError(
                    api.post(key, "/v1/prices", Map.of("product", product, "unitAmount", refused)),
                    400,
                    "invalid_request",
                    "unitAmount");
        }
    }

    /**
     * <pre>
     *                 Nov 1                                             Dec 1
     *  big  ai_call   |  99 999 999 999 999 × 999 999 999 999.999999999  | → amount_too_large
     *  ok   storage   |  10 × 0.25                                        | → CLOSE-TEST-2026-000001, 2.50 USD
     * </pre>
     */
    @Test
    void shouldAnswerTheCloseWithItsInvoicesAndTheCustomersItCouldNotInvoice() {
        String org = api.newOrganization("Close");
        String key = api.newKey(org);
        BillingFixtures fixtures = BillingFixtures.on(Jdbi.create(database.dataSource())
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin()));
        fixtures.catalog(org, "cus_big", "big", "ai_call", "price_big", new BigDecimal("999999999999.999999999"));
        fixtures.catalog(org, "cus_ok", "ok", "storage", "price_ok", new BigDecimal("0.25"));
        fixtures.subscribe(org, "cus_big", "price_big");
        fixtures.subscribe(org, "cus_ok", "price_ok");
        fixtures.ledgerRow("big", org, "big", "ai_call", Instant.parse("2026-11-02T00:00:00Z"), "99999999999999");
        fixtures.ledgerRow("ok", org, "ok", "storage", Instant.parse("2026-11-03T00:00:00Z"), "10");
        Map<String, Object> period = Map.of("periodStart", "2026-11-01T00:00:00Z", "periodEnd", "2026-12-01T00:00:00Z");

        Reply closed = api.post(key, "/v1/billing-periods/close", period);
        Reply again = api.post(key, "/v1/billing-periods/close", period);

        assertThat(closed.code()).as("%s", closed.body()).isEqualTo(201);
        assertThat(list(closed.body().get("invoices")))
                .extracting(i -> i.get("customerExternalId"), i -> i.get("number"))
                .containsExactly(tuple(
                        "ok",
                        InvoiceFixtures.testModeNumber(
                                "CLOSE",
                                Instant.parse((String) list(closed.body().get("invoices"))
                                        .getFirst()
                                        .get("finalizedAt")),
                                1)));
        assertThat(list(closed.body().get("failures"))).singleElement().satisfies(failure -> {
            assertThat(failure).containsEntry("customer", "big").containsEntry("code", "amount_too_large");
            assertThat((String) failure.get("message")).contains("minor units");
        });
        assertThat(again.code()).isEqualTo(200);
        assertThat(list(again.body().get("failures")))
                .extracting(f -> f.get("customer"))
                .containsExactly("big");
    }
}
