package dev.tally.billing.catalog;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /v1/products} and {@code GET /v1/prices}: pages, filters, refused filter values and
 * tenant isolation, on the real server and PostgreSQL.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogListApiIT implements TestPropertyProvider {

    @Inject
    ApiCalls api;

    private String key;
    private String otherKey;
    private final Map<String, String> products = new HashMap<>();
    private final Map<String, String> prices = new HashMap<>();

    @Override
    public Map<String, String> getProperties() {
        return TestServer.properties(TestPostgres.shared().createDatabase(), "catalog-lists");
    }

    /**
     * Products, in creation order: api_call (metered), storage (metered, then deactivated), seats
     * (recurring), setup (one_time). Prices: api_call per_unit USD, api_call graduated EUR, storage
     * per_unit USD, seats flat USD monthly, setup flat USD once. Another organization has one product
     * and one price of the same feature.
     */
    @BeforeAll
    void createTheCatalog() {
        key = api.newKey(api.newOrganization("Lists"));
        products.put("api_call", created(api.post(key, "/v1/products", Map.of("featureKey", "api_call"))));
        products.put("storage", created(api.post(key, "/v1/products", Map.of("featureKey", "storage"))));
        products.put("seats", created(api.post(key, "/v1/products", Map.of("type", "recurring", "name", "Seats"))));
        products.put("setup", created(api.post(key, "/v1/products", Map.of("type", "one_time", "name", "Setup"))));
        prices.put("api_usd", created(api.post(key, "/v1/prices", Map.of("product", "api_call", "unitAmount", "1"))));
        prices.put(
                "api_eur",
                created(api.post(
                        key,
                        "/v1/prices",
                        Map.of(
                                "product",
                                "api_call",
                                "currency",
                                "EUR",
                                "model",
                                "graduated",
                                "tiers",
                                List.of(Map.of("upTo", "10", "unitAmount", "1"), Map.of("unitAmount", "0.5"))))));
        prices.put("storage", created(api.post(key, "/v1/prices", Map.of("product", "storage", "unitAmount", "2"))));
        prices.put(
                "seats",
                created(api.post(
                        key,
                        "/v1/prices",
                        Map.of(
                                "product",
                                products.get("seats"),
                                "model",
                                "flat",
                                "flatAmount",
                                "49",
                                "interval",
                                "month"))));
        prices.put(
                "setup",
                created(api.post(
                        key,
                        "/v1/prices",
                        Map.of("product", products.get("setup"), "model", "flat", "flatAmount", "100"))));
        Reply deactivated =
                api.send(HttpRequest.PATCH("/v1/products/" + products.get("storage"), Map.of("active", false))
                        .bearerAuth(key));
        assertThat(deactivated.code()).as("%s", deactivated.body()).isEqualTo(200);

        otherKey = api.newKey(api.newOrganization("Elsewhere"));
        created(api.post(otherKey, "/v1/products", Map.of("featureKey", "api_call")));
        created(api.post(otherKey, "/v1/prices", Map.of("product", "api_call", "unitAmount", "9")));
    }

    @Test
    void shouldWalkTheProductsOldestFirstPageByPage() {
        assertThat(walk("/v1/products?limit=3"))
                .containsExactly(
                        products.get("api_call"),
                        products.get("storage"),
                        products.get("seats"),
                        products.get("setup"));
        Reply first = api.get(key, "/v1/products?limit=3");
        assertThat(first.body()).containsEntry("hasMore", true);
        assertThat(list(first.body().get("data")).getFirst())
                .containsEntry("featureKey", "api_call")
                .containsEntry("type", "metered")
                .containsEntry("active", true);
    }

    @Test
    void shouldFilterProductsByTypeActivityAndFeatureKey() {
        assertThat(ids("/v1/products?type=metered")).containsExactly(products.get("api_call"), products.get("storage"));
        assertThat(ids("/v1/products?type=recurring")).containsExactly(products.get("seats"));
        assertThat(ids("/v1/products?active=false")).containsExactly(products.get("storage"));
        assertThat(ids("/v1/products?active=true"))
                .containsExactly(products.get("api_call"), products.get("seats"), products.get("setup"));
        assertThat(ids("/v1/products?featureKey=storage")).containsExactly(products.get("storage"));
        assertThat(ids("/v1/products?type=metered&active=true")).containsExactly(products.get("api_call"));
        assertThat(ids("/v1/products?featureKey=nothing_here")).isEmpty();
    }

    @Test
    void shouldWalkThePricesOldestFirstPageByPage() {
        assertThat(walk("/v1/prices?limit=2"))
                .containsExactly(
                        prices.get("api_usd"),
                        prices.get("api_eur"),
                        prices.get("storage"),
                        prices.get("seats"),
                        prices.get("setup"));
        Map<String, Object> eur =
                list(api.get(key, "/v1/prices?currency=EUR").body().get("data")).getFirst();
        assertThat(eur)
                .containsEntry("id", prices.get("api_eur"))
                .containsEntry("product", products.get("api_call"))
                .containsEntry("featureKey", "api_call")
                .containsEntry("model", "graduated")
                .containsKey("tiers");
    }

    @Test
    void shouldFilterPricesByProductCurrencyModelAndTheirProductsActivity() {
        assertThat(ids("/v1/prices?product=api_call"))
                .as("by feature key")
                .containsExactly(prices.get("api_usd"), prices.get("api_eur"));
        assertThat(ids("/v1/prices?product=" + products.get("seats")))
                .as("by product id")
                .containsExactly(prices.get("seats"));
        assertThat(ids("/v1/prices?currency=usd"))
                .containsExactly(
                        prices.get("api_usd"), prices.get("storage"), prices.get("seats"), prices.get("setup"));
        assertThat(ids("/v1/prices?model=flat")).containsExactly(prices.get("seats"), prices.get("setup"));
        assertThat(ids("/v1/prices?model=per_unit&currency=USD"))
                .containsExactly(prices.get("api_usd"), prices.get("storage"));
        assertThat(ids("/v1/prices?active=false")).containsExactly(prices.get("storage"));
        assertThat(ids("/v1/prices?active=true&product=api_call"))
                .containsExactly(prices.get("api_usd"), prices.get("api_eur"));
        assertThat(ids("/v1/prices?product=no_such_product")).isEmpty();
    }

    @Test
    void shouldRefuseBadFilterValuesNamingTheParameter() {
        assertError(api.get(key, "/v1/products?type=service"), 400, "invalid_request", "type");
        assertError(api.get(key, "/v1/products?active=yes"), 400, "invalid_request", "active");
        assertError(api.get(key, "/v1/products?active="), 400, "invalid_request", "active");
        assertError(api.get(key, "/v1/products?featureKey=a%2Fb"), 400, "invalid_request", "featureKey");
        assertError(api.get(key, "/v1/products?limit=0"), 400, "invalid_request", "limit");
        assertError(api.get(key, "/v1/products?startingAfter=prod_nope"), 400, "invalid_request", "startingAfter");
        assertError(api.get(key, "/v1/prices?currency=XXX1"), 400, "invalid_request", "currency");
        assertError(api.get(key, "/v1/prices?currency=ZZZ"), 400, "invalid_request", "currency");
        assertError(api.get(key, "/v1/prices?model=PER_UNIT"), 400, "invalid_request", "model");
        assertError(api.get(key, "/v1/prices?model=tiered"), 400, "invalid_request", "model");
        assertError(api.get(key, "/v1/prices?active=1"), 400, "invalid_request", "active");
        assertError(api.get(key, "/v1/prices?product=a%20b"), 400, "invalid_request", "product");
        assertError(api.get(key, "/v1/prices?startingAfter=price_nope"), 400, "invalid_request", "startingAfter");
    }

    @Test
    void shouldListOnlyTheCallingOrganizationsCatalog() {
        assertThat(ids("/v1/products")).hasSize(4);
        assertThat(list(api.get(otherKey, "/v1/products").body().get("data"))).hasSize(1);
        assertThat(list(api.get(otherKey, "/v1/prices").body().get("data")))
                .singleElement()
                .satisfies(price -> assertThat(price).containsEntry("unitAmount", "9.000000000"));
        assertError(
                api.get(otherKey, "/v1/products?startingAfter=" + products.get("api_call")),
                400,
                "invalid_request",
                "startingAfter");
        assertError(
                api.get(otherKey, "/v1/prices?startingAfter=" + prices.get("api_usd")),
                400,
                "invalid_request",
                "startingAfter");
        assertThat(list(api.get(otherKey, "/v1/prices?product=" + products.get("api_call"))
                        .body()
                        .get("data")))
                .as("another organization's product id names nothing")
                .isEmpty();
    }

    @Test
    void shouldRequireAKeyWithBillingRead() {
        assertError(api.send(HttpRequest.GET("/v1/products")), 401, "missing_credentials", null);
        assertError(api.send(HttpRequest.GET("/v1/prices")), 401, "missing_credentials", null);
    }

    /** The ids of every page of {@code path} (which holds a limit), following {@code startingAfter}. */
    private List<String> walk(String path) {
        List<String> ids = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            Reply page = api.get(key, path + (after == null ? "" : "&startingAfter=" + after));
            assertThat(page.code()).as("%s", page.body()).isEqualTo(200);
            List<Map<String, Object>> data = list(page.body().get("data"));
            data.forEach(item -> ids.add((String) item.get("id")));
            more = (Boolean) page.body().get("hasMore");
            after = data.isEmpty() ? after : ids.getLast();
        }
        return ids;
    }

    private List<String> ids(String path) {
        Reply page = api.get(key, path);
        assertThat(page.code()).as("%s: %s", path, page.body()).isEqualTo(200);
        return list(page.body().get("data")).stream()
                .map(item -> (String) item.get("id"))
                .toList();
    }

    private static String created(Reply reply) {
        assertThat(reply.code()).as("%s", reply.body()).isEqualTo(201);
        return (String) reply.body().get("id");
    }
}
