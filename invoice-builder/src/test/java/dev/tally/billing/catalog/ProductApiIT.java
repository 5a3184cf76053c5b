package dev.tally.billing.catalog;

import static dev.tally.billing.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Products of each type, their prices' models, and deactivation, through the API (real PostgreSQL). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductApiIT implements TestPropertyProvider {

    @Inject
    ApiCalls api;

    private TestPostgres.Database database;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        return TestServer.properties(database, "products");
    }

    @Test
    void shouldMakeAMeteredProductOfAFeatureKeyByDefault() {
        String key = api.newKey(api.newOrganization("Metered"));

        Reply created =
                api.post(key, "/v1/products", Map.of("featureKey", "api_call", "name", "API", "description", "Calls"));

        assertThat(created.code()).as("%s", created.body()).isEqualTo(201);
        assertThat(created.body())
                .containsEntry("type", "metered")
                .containsEntry("featureKey", "api_call")
                .containsEntry("description", "Calls")
                .containsEntry("active", true);
        assertThat(api.get(key, "/v1/products/" + created.body().get("id")).body())
                .isEqualTo(created.body());
    }

    @Test
    void shouldTakeFlatPricesOnRecurringAndOneTimeProductsAndUsagePricesOnMeteredOnes() {
        String key = api.newKey(api.newOrganization("Kinds"));
        String seats = id(api.post(key, "/v1/products", Map.of("type", "recurring", "name", "Seats")));
        String setup = id(api.post(key, "/v1/products", Map.of("type", "one_time", "name", "Setup")));
        api.post(key, "/v1/products", Map.of("featureKey", "storage"));

        Map<String, Object> monthly =
                Map.of("product", seats, "model", "flat", "flatAmount", "49", "interval", "month");
        assertThat(api.post(key, "/v1/prices", monthly).code()).isEqualTo(201);
        Map<String, Object> once = Map.of("product", setup, "model", "flat", "flatAmount", "100");
        assertThat(api.post(key, "/v1/prices", once).code()).isEqualTo(201);

        assertError(
                api.post(key, "/v1/prices", Map.of("product", seats, "unitAmount", "1")),
                400,
                "invalid_request",
                "product");
        assertError(
                api.post(
                        key,
                        "/v1/prices",
                        Map.of("product", setup, "model", "flat", "flatAmount", "1", "interval", "month")),
                400,
                "invalid_request",
                "product");
        assertError(
                api.post(
                        key,
                        "/v1/prices",
                        Map.of("product", "storage", "model", "flat", "flatAmount", "1", "interval", "month")),
                400,
                "invalid_request",
                "product");
    }

    @Test
    void shouldRefuseAFeatureKeyOnAFlatFeeProductAndAnUnknownType() {
        String key = api.newKey(api.newOrganization("Refusals"));

        assertError(
                api.post(key, "/v1/products", Map.of("type", "recurring", "featureKey", "api_call")),
                400,
                "invalid_request",
                "featureKey");
        assertError(api.post(key, "/v1/products", Map.of("type", "service")), 400, "invalid_request", "type");
        assertError(api.post(key, "/v1/products", Map.of("type", "metered")), 400, "invalid_request", "featureKey");
    }

    @Test
    void shouldStopNewPricesOfADeactivatedProductAndKeepTheOthersReadable() {
        String key = api.newKey(api.newOrganization("Inactive"));
        String product = id(api.post(key, "/v1/products", Map.of("featureKey", "api_call")));
        String price = id(api.post(key, "/v1/prices", Map.of("product", product, "unitAmount", "1")));

        Reply changed =
                api.send(HttpRequest.PATCH("/v1/products/" + product, Map.of("active", false, "description", "Old"))
                        .bearerAuth(key));

        assertThat(changed.code()).as("%s", changed.body()).isEqualTo(200);
        assertThat(changed.body()).containsEntry("active", false).containsEntry("description", "Old");
        assertError(
                api.post(key, "/v1/prices", Map.of("product", product, "unitAmount", "2")),
                400,
                "invalid_request",
                "product");
        assertThat(api.get(key, "/v1/prices/" + price).code()).isEqualTo(200);
        assertThat(api.get(api.newKey(api.newOrganization("Other")), "/v1/products/" + product)
                        .code())
                .isEqualTo(404);
    }

    private static String id(Reply reply) {
        assertThat(reply.code()).as("%s", reply.body()).isEqualTo(201);
        return (String) reply.body().get("id");
    }
}
