package dev.tally.billing.catalog;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Prices of every model through the API: created, read back canonical, validated by field path, quoted (real PostgreSQL). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PriceApiIT implements TestPropertyProvider {

    @Inject
    ApiCalls api;

    private TestPostgres.Database database;
    private String key;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        return TestServer.properties(database, "prices");
    }

    @BeforeAll
    void catalog() {
        key = api.newKey(api.newOrganization("Prices"));
        assertThat(api.post(key, "/v1/products", Map.of("featureKey", "api_call"))
                        .code())
                .isEqualTo(201);
    }

    @Test
    void shouldQuoteAGraduatedPriceTierByTierAndRoundOnceHalfEven() {
        Reply created = api.post(
                key,
                "/v1/prices",
                Map.of(
                        "product", "api_call",
                        "currency", "usd",
                        "model", "graduated",
                        "tiers",
                                List.of(
                                        Map.of("upTo", "1000", "unitAmount", "0.10", "flatAmount", "5"),
                                        Map.of("unitAmount", "0.05"))));
        assertThat(created.code()).as("%s", created.body()).isEqualTo(201);
        String id = (String) created.body().get("id");

        Reply read = api.get(key, "/v1/prices/" + id);
        assertThat(read.body())
                .containsEntry("model", "graduated")
                .containsEntry("currency", "USD")
                .containsEntry("interval", "month")
                .containsEntry("billingTiming", "in_arrears")
                .doesNotContainKey("unitAmount");
        assertThat(list(read.body().get("tiers")))
                .extracting(t -> t.get("upTo"), t -> t.get("unitAmount"))
                .containsExactly(tuple("1000.000000000", "0.100000000"), tuple(null, "0.050000000"));

        // 1000 × 0.10 + 5 + 234.5 × 0.05 = 100 + 5 + 11.725 = 116.725 → 116.72 (half-even)
        Reply quote = api.post(key, "/v1/prices/" + id + "/quote", Map.of("quantity", "1234.5", "eventCount", 12));
        assertThat(quote.code()).as("%s", quote.body()).isEqualTo(200);
        assertThat(quote.body())
                .containsEntry("currency", "USD")
                .containsEntry("amount", "116.725")
                .containsEntry("amountMinor", 11672);
        assertThat(list(quote.body().get("breakdown")))
                .extracting(p -> p.get("kind"), p -> p.get("tierIndex"), p -> p.get("amount"))
                .contains(tuple("tier", 0, "100.00"), tuple("tier_flat_fee", 0, "5.00"), tuple("tier", 1, "11.725"));
    }

    @Test
    void shouldKeepThePerUnitDefaultsOfTheFirstApi() {
        Reply created = api.post(key, "/v1/prices", Map.of("product", "api_call", "unitAmount", "2.5e-1"));

        assertThat(created.code()).as("%s", created.body()).isEqualTo(201);
        assertThat(created.body())
                .containsEntry("model", "per_unit")
                .containsEntry("currency", "USD")
                .containsEntry("unitAmount", "0.250000000")
                .containsEntry("interval", "month")
                .containsEntry("intervalCount", 1);
    }

    @Test
    void shouldNameTheFieldPathOfEachBadParameter() {
        Map<String, Object> descending = Map.of(
                "product", "api_call",
                "model", "volume",
                "tiers", List.of(Map.of("upTo", "100", "unitAmount", "1"), Map.of("upTo", "50", "unitAmount", "1")));
        assertError(api.post(key, "/v1/prices", descending), 400, "invalid_request", "tiers[1].upTo");

        Map<String, Object> typo =
                Map.of("product", "api_call", "model", "graduated", "tiers", List.of(Map.of("upto", "100")));
        assertError(api.post(key, "/v1/prices", typo), 400, "unknown_field", "tiers[0].upto");

        Map<String, Object> countAsText =
                Map.of("product", "api_call", "unitAmount", "1", "interval", "week", "intervalCount", "2");
        assertError(api.post(key, "/v1/prices", countAsText), 400, "invalid_request", "intervalCount");

        Map<String, Object> foreign =
                Map.of("product", "api_call", "model", "per_unit", "unitAmount", "1", "packageSize", "10");
        assertError(api.post(key, "/v1/prices", foreign), 400, "invalid_request", "packageSize");

        assertError(
                api.post(key, "/v1/prices", Map.of("product", "api_call", "model", "tiered")),
                400,
                "invalid_request",
                "model");
        assertError(
                api.post(key, "/v1/prices", Map.of("product", "api_call", "unitAmount", "1", "currency", "XTS")),
                400,
                "invalid_request",
                "currency");
    }

    @Test
    void shouldBillEveryStartedPackageWholeInAQuote() {
        String id = (String) api.post(
                        key,
                        "/v1/prices",
                        Map.of("product", "api_call", "model", "package", "packageSize", "100", "packageAmount", "2"))
                .body()
                .get("id");

        Reply quote = api.post(key, "/v1/prices/" + id + "/quote", Map.of("quantity", "201"));

        assertThat(quote.body()).containsEntry("amount", "6.00").containsEntry("amountMinor", 600);
        assertError(
                api.post(key, "/v1/prices/" + id + "/quote", Map.of("quantity", "-1")),
                400,
                "invalid_request",
                "quantity");
        assertError(
                api.post(key, "/v1/prices/" + id + "/quote", Map.of("quantity", "1", "eventCount", -1)),
                400,
                "invalid_request",
                "eventCount");
    }

    @Test
    void shouldSubscribeToAPriceOfAUsageModelThePeriodCloseDoesNotRate() {
        String id = (String) api.post(
                        key,
                        "/v1/prices",
                        Map.of("product", "api_call", "model", "package", "packageSize", "10", "packageAmount", "1"))
                .body()
                .get("id");
        api.post(key, "/v1/customers", Map.of("externalId", "pack_customer"));

        Reply subscribed = api.post(key, "/v1/subscriptions", Map.of("customer", "pack_customer", "price", id));

        // the invoice planner rates every model from the subscription's items; the manual close only per_unit
        assertThat(subscribed.code()).as("%s", subscribed.body()).isEqualTo(201);
        assertThat(list(subscribed.body().get("items")))
                .singleElement()
                .satisfies(item -> assertThat(item).containsEntry("price", id).containsEntry("featureKey", "api_call"));
    }

    @Test
    void shouldHideAPriceFromAnotherOrganizationAndMode() {
        String id = (String) api.post(key, "/v1/prices", Map.of("product", "api_call", "unitAmount", "1"))
                .body()
                .get("id");
        String other = api.newKey(api.newOrganization("Other"));
        Map<String, Object> quantity = new HashMap<>(Map.of("quantity", "1"));

        assertThat(api.get(other, "/v1/prices/" + id).code()).isEqualTo(404);
        assertThat(api.send(HttpRequest.POST("/v1/prices/" + id + "/quote", quantity)
                                .bearerAuth(other))
                        .code())
                .isEqualTo(404);
    }
}
