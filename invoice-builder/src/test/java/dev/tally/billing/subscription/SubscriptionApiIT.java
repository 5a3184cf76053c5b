package dev.tally.billing.subscription;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Subscriptions through the API (real PostgreSQL): creation with items and the price shorthand, every
 * refusal with its field path, the feature rule across subscriptions and time, item changes with If-Match,
 * cancellations, trials, and the list's pages and filters. Instants are relative to now, on whole seconds.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionApiIT implements TestPropertyProvider {

    @Inject
    ApiCalls api;

    @Override
    public Map<String, String> getProperties() {
        return TestServer.properties(TestPostgres.shared().createDatabase(), "subscriptions");
    }

    /** An organization's key and its catalog: usage and flat prices of several currencies and intervals. */
    private final class Catalog {
        final String key = api.newKey(api.newOrganization("Subscriptions"));
        final String apiCalls = usage("api_call", "0.01");
        final String apiCallsBulk = usage("api_call", "0.005");
        final String storage = usage("storage", "0.10");
        final String seatsProduct = id(api.post(key, "/v1/products", Map.of("type", "recurring", "name", "Seats")));
        final String seats = flat(seatsProduct, "10", "USD", "month");
        final String seatsPro = flat(seatsProduct, "20", "USD", "month");
        final String seatsEuro = flat(seatsProduct, "9", "EUR", "month");
        final String seatsYearly = flat(seatsProduct, "100", "USD", "year");
        final String setup = id(api.post(
                key,
                "/v1/prices",
                Map.of(
                        "product",
                        id(api.post(key, "/v1/products", Map.of("type", "one_time"))),
                        "model",
                        "flat",
                        "flatAmount",
                        "50")));

        private String usage(String feature, String unitAmount) {
            api.post(key, "/v1/products", Map.of("featureKey", feature));
            return id(api.post(key, "/v1/prices", Map.of("product", feature, "unitAmount", unitAmount)));
        }

        private String flat(String product, String amount, String currency, String interval) {
            return id(api.post(
                    key,
                    "/v1/prices",
                    Map.of(
                            "product",
                            product,
                            "model",
                            "flat",
                            "flatAmount",
                            amount,
                            "currency",
                            currency,
                            "interval",
                            interval)));
        }

        String customer(String externalId, Object... fields) {
            Map<String, Object> body = new HashMap<>(Map.of("externalId", externalId));
            for (int i = 0; i < fields.length; i += 2) {
                body.put((String) fields[i], fields[i + 1]);
            }
            Reply created = api.post(key, "/v1/customers", body);
            assertThat(created.code()).as("%s", created.body()).isEqualTo(201);
            return externalId;
        }

        Reply subscribe(String customer, Object... fields) {
            Map<String, Object> body = new HashMap<>(Map.of("customer", customer));
            for (int i = 0; i < fields.length; i += 2) {
                body.put((String) fields[i], fields[i + 1]);
            }
            return api.post(key, "/v1/subscriptions", body);
        }

        Map<String, Object> subscribed(String customer, Object... fields) {
            Reply created = subscribe(customer, fields);
            assertThat(created.code()).as("%s", created.body()).isEqualTo(201);
            return created.body();
        }

        Reply change(String subscription, String ifMatch, Map<String, Object> body) {
            MutableHttpRequest<?> request =
                    HttpRequest.PATCH("/v1/subscriptions/" + subscription, body).bearerAuth(key);
            return api.send(ifMatch == null ? request : request.header("If-Match", ifMatch));
        }

        Reply cancel(String subscription, Map<String, Object> body) {
            return api.post(key, "/v1/subscriptions/" + subscription + "/cancel", body);
        }

        Reply get(String path) {
            return api.get(key, path);
        }
    }

    private static String id(Reply reply) {
        assertThat(reply.code()).as("%s", reply.body()).isBetween(200, 201);
        return (String) reply.body().get("id");
    }

    private static Map<String, Object> item(String price, long quantity) {
        return Map.of("price", price, "quantity", quantity);
    }

    private static Map<String, Object> item(String price) {
        return Map.of("price", price);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static List<Map<String, Object>> items(Map<String, Object> subscription) {
        return list(subscription.get("items"));
    }

    private static String itemOf(Map<String, Object> subscription, String price) {
        return (String) items(subscription).stream()
                .filter(i -> i.get("price").equals(price))
                .findFirst()
                .orElseThrow()
                .get("id");
    }

    @Test
    void shouldCreateASubscriptionWithSeveralItemsInTheCustomersZoneAndReadItBack() {
        Catalog c = new Catalog();
        c.customer("paris", "timeZone", "Europe/Paris", "currency", "USD");
        Instant before = now();

        Map<String, Object> created = c.subscribed("paris", "items", List.of(item(c.apiCalls), item(c.seats, 3)));

        assertThat(created)
                .containsEntry("status", "active")
                .containsEntry("customerExternalId", "paris")
                .containsEntry("currency", "USD")
                .containsEntry("interval", "month")
                .containsEntry("intervalCount", 1)
                .containsEntry("cancelAtPeriodEnd", false)
                .containsEntry("version", 1)
                .containsEntry("livemode", false);
        assertThat((String) created.get("id")).startsWith("sub_");
        assertThat((String) created.get("customer")).startsWith("cus_");
        Instant startAt = Instant.parse((String) created.get("startAt"));
        assertThat(startAt).isBetween(before, now()).isEqualTo(startAt.truncatedTo(ChronoUnit.SECONDS));
        assertThat(created.get("currentPeriodStart")).isEqualTo(startAt.toString());
        assertThat(created.get("currentPeriodEnd"))
                .isEqualTo(ZonedDateTime.ofInstant(startAt, ZoneId.of("Europe/Paris"))
                        .plusMonths(1)
                        .toInstant()
                        .toString());
        assertThat(items(created))
                .extracting(i -> i.get("price"), i -> i.get("featureKey"), i -> i.get("quantity"))
                .containsExactlyInAnyOrder(tuple(c.apiCalls, "api_call", 1), tuple(c.seats, null, 3));
        assertThat(items(created))
                .allSatisfy(i -> assertThat((String) i.get("id")).startsWith("si_"));
        assertThat(items(created))
                .filteredOn(i -> i.get("price").equals(c.seats))
                .singleElement()
                .satisfies(i -> assertThat(i.get("product")).isEqualTo(c.seatsProduct));
        assertThat(c.get("/v1/subscriptions/" + created.get("id")).body()).isEqualTo(created);
        assertThat(api.get(api.newKey(api.newOrganization("Other")), "/v1/subscriptions/" + created.get("id"))
                        .code())
                .isEqualTo(404);
    }

    @Test
    void shouldTakeTheOldShorthandAsOneItemOfQuantityOne() {
        Catalog c = new Catalog();
        c.customer("short");

        Map<String, Object> created = c.subscribed("short", "price", c.apiCalls);

        assertThat(items(created))
                .extracting(i -> i.get("price"), i -> i.get("quantity"))
                .containsExactly(tuple(c.apiCalls, 1));
    }

    @Test
    void shouldRefuseEachInvalidSubscriptionNamingTheFieldAtFault() {
        Catalog c = new Catalog();
        c.customer("refused");
        c.customer("euro", "currency", "EUR");
        String cusGone = id(api.post(c.key, "/v1/customers", Map.of("externalId", "gone")));
        assertThat(api.post(c.key, "/v1/customers/" + cusGone + "/archive", Map.of())
                        .code())
                .isEqualTo(200);
        String retired = id(api.post(c.key, "/v1/products", Map.of("type", "recurring")));
        String retiredPrice = c.flat(retired, "1", "USD", "month");
        api.send(HttpRequest.PATCH("/v1/products/" + retired, Map.of("active", false))
                .bearerAuth(c.key));

        record Refusal(String customer, Map<String, Object> body, int status, String code, String field) {}
        List<Refusal> refusals = List.of(
                new Refusal(
                        "refused",
                        Map.of("items", List.of(item(c.seats), item(c.seatsEuro))),
                        400,
                        "invalid_request",
                        "items[1].price"),
                new Refusal(
                        "refused",
                        Map.of("items", List.of(item(c.seats), item(c.seatsYearly))),
                        400,
                        "invalid_request",
                        "items[1].price"),
                new Refusal(
                        "refused", Map.of("items", List.of(item(c.setup))), 400, "invalid_request", "items[0].price"),
                new Refusal(
                        "refused",
                        Map.of("items", List.of(item(c.seats), item(c.seatsPro, -1))),
                        400,
                        "invalid_request",
                        "items[1].quantity"),
                new Refusal(
                        "refused",
                        Map.of("items", List.of(item(c.apiCalls, 2))),
                        400,
                        "invalid_request",
                        "items[0].quantity"),
                new Refusal(
                        "refused",
                        Map.of("items", List.of(item(c.seats), item("price_missing"))),
                        400,
                        "invalid_request",
                        "items[1].price"),
                new Refusal(
                        "refused",
                        Map.of("items", List.of(item(c.apiCalls), item(c.apiCallsBulk))),
                        400,
                        "invalid_request",
                        "items[1].price"),
                new Refusal(
                        "refused",
                        Map.of("items", List.of(item(c.seats), item(c.seats, 2))),
                        400,
                        "invalid_request",
                        "items[1].price"),
                new Refusal(
                        "refused",
                        Map.of("items", List.of(Map.of("id", "si_x", "price", c.seats))),
                        400,
                        "invalid_request",
                        "items[0].id"),
                new Refusal("refused", Map.of("items", List.of()), 400, "invalid_request", "items"),
                new Refusal(
                        "refused",
                        Map.of("price", c.seats, "items", List.of(item(c.seats))),
                        400,
                        "invalid_request",
                        "price"),
                new Refusal("refused", Map.of("price", retiredPrice), 400, "invalid_request", "price"),
                new Refusal(
                        "refused",
                        Map.of(
                                "price",
                                c.seats,
                                "startAt",
                                now().plusSeconds(3600).toString()),
                        400,
                        "invalid_request",
                        "startAt"),
                new Refusal(
                        "refused",
                        Map.of(
                                "price",
                                c.seats,
                                "startAt",
                                now().minus(Duration.ofDays(32)).toString()),
                        400,
                        "invalid_request",
                        "startAt"),
                new Refusal(
                        "refused",
                        Map.of(
                                "price",
                                c.seats,
                                "trialEnd",
                                now().minusSeconds(60).toString()),
                        400,
                        "invalid_request",
                        "trialEnd"),
                new Refusal(
                        "refused",
                        Map.of(
                                "price",
                                c.seats,
                                "cancelAt",
                                now().plusSeconds(60).toString(),
                                "cancelAtPeriodEnd",
                                true),
                        400,
                        "invalid_request",
                        "cancelAt"),
                new Refusal("euro", Map.of("items", List.of(item(c.seats))), 400, "invalid_request", "items[0].price"),
                new Refusal("nobody", Map.of("price", c.seats), 400, "invalid_request", "customer"),
                new Refusal(cusGone, Map.of("price", c.seats), 409, "customer_archived", "customer"));

        for (Refusal refusal : refusals) {
            Map<String, Object> body = new HashMap<>(refusal.body());
            body.put("customer", refusal.customer());
            assertError(api.post(c.key, "/v1/subscriptions", body), refusal.status(), refusal.code(), refusal.field());
        }
        assertThat(list(c.get("/v1/subscriptions").body().get("data"))).isEmpty();
        // the same customer in its own currency, within the backdating limit (31 days by default)
        Map<String, Object> backdated = c.subscribed(
                "euro",
                "price",
                c.seatsEuro,
                "startAt",
                now().minus(Duration.ofDays(30)).toString());
        assertThat(backdated).containsEntry("currency", "EUR").containsEntry("status", "active");
    }

    /**
     * <pre>
     *  api_call   A ├──────────── (cancelled now) ┤
     *             B        ├──── backdated 1 day: overlaps A ── 409
     *             B                                ├──── from now: 201
     *  storage    X ├──── cancelled at period end ──────────────┤ (current period's end)
     *             Y                                ├── 409 until then
     * </pre>
     */
    @Test
    void shouldRateAFeatureByOnePriceAtATimeAcrossTheCustomersSubscriptions() {
        Catalog c = new Catalog();
        c.customer("busy");
        c.customer("neighbour");
        Map<String, Object> a = c.subscribed(
                "busy",
                "price",
                c.apiCalls,
                "startAt",
                now().minus(Duration.ofDays(2)).toString());

        Reply twice = c.subscribe("busy", "items", List.of(item(c.seats), item(c.apiCallsBulk)));
        assertError(twice, 409, "feature_already_rated", "items[1].price");
        assertThat(errorMessage(twice)).contains("api_call").contains((String) a.get("id"));
        assertThat(c.subscribe("neighbour", "price", c.apiCallsBulk).code()).isEqualTo(201);
        assertThat(c.subscribe("busy", "price", c.seats).code()).isEqualTo(201);

        assertThat(c.cancel((String) a.get("id"), Map.of()).body()).containsEntry("status", "canceled");
        assertError(
                c.subscribe(
                        "busy",
                        "price",
                        c.apiCallsBulk,
                        "startAt",
                        now().minus(Duration.ofDays(1)).toString()),
                409,
                "feature_already_rated",
                "price");
        assertThat(c.subscribe("busy", "price", c.apiCallsBulk).code()).isEqualTo(201);

        Map<String, Object> x = c.subscribed("busy", "price", c.storage);
        Reply atPeriodEnd = c.cancel((String) x.get("id"), Map.of("atPeriodEnd", true));
        assertThat(atPeriodEnd.body()).containsEntry("status", "active").containsEntry("cancelAtPeriodEnd", true);
        assertError(c.subscribe("busy", "price", c.storage), 409, "feature_already_rated", "price");
    }

    @Test
    void shouldChangeItemsAtTheVersionIfMatchNamesAndRefuseAStaleOne() {
        Catalog c = new Catalog();
        c.customer("growing");
        Map<String, Object> created = c.subscribed(
                "growing",
                "items",
                List.of(item(c.seats, 2), item(c.apiCalls)),
                "startAt",
                now().minus(Duration.ofDays(3)).toString());
        String id = (String) created.get("id");
        String seatsItem = itemOf(created, c.seats);
        String callsItem = itemOf(created, c.apiCalls);

        Reply more = c.change(
                id, "\"1\"", Map.of("items", List.of(Map.of("id", seatsItem, "quantity", 5), item(c.storage))));
        assertThat(more.code()).as("%s", more.body()).isEqualTo(200);
        assertThat(more.body()).containsEntry("version", 2);
        assertThat(items(more.body()))
                .extracting(i -> i.get("price"), i -> i.get("quantity"))
                .containsExactlyInAnyOrder(tuple(c.seats, 5), tuple(c.apiCalls, 1), tuple(c.storage, 1));

        assertError(
                c.change(id, "1", Map.of("items", List.of(Map.of("id", seatsItem, "quantity", 9)))),
                409,
                "version_conflict",
                null);

        String storageItem = itemOf(more.body(), c.storage);
        Reply upgraded = api.send(HttpRequest.POST(
                        "/v1/subscriptions/" + id + "/items",
                        Map.of(
                                "items",
                                List.of(
                                        Map.of("id", seatsItem, "price", c.seatsPro),
                                        Map.of("id", storageItem, "deleted", true),
                                        Map.of("id", callsItem, "price", c.apiCallsBulk))))
                .bearerAuth(c.key)
                .header("If-Match", "\"2\""));
        assertThat(upgraded.code()).as("%s", upgraded.body()).isEqualTo(200);
        assertThat(upgraded.body()).containsEntry("version", 3);
        assertThat(items(upgraded.body()))
                .extracting(i -> i.get("id"), i -> i.get("price"), i -> i.get("quantity"))
                .containsExactlyInAnyOrder(tuple(seatsItem, c.seatsPro, 5), tuple(callsItem, c.apiCallsBulk, 1));

        assertError(
                c.change(id, null, Map.of("items", List.of(item(c.apiCalls)))),
                400,
                "invalid_request",
                "items[0].price");
        assertError(
                c.change(id, null, Map.of("items", List.of(item(c.seatsYearly)))),
                400,
                "invalid_request",
                "items[0].price");
        assertError(
                c.change(id, null, Map.of("items", List.of(Map.of("id", "si_unknown", "quantity", 1)))),
                400,
                "invalid_request",
                "items[0].id");
        assertError(
                c.change(id, null, Map.of("items", List.of(Map.of("id", callsItem, "quantity", 4)))),
                400,
                "invalid_request",
                "items[0].quantity");
        assertError(
                c.change(
                        id,
                        null,
                        Map.of(
                                "items",
                                List.of(Map.of("id", seatsItem, "quantity", 1)),
                                "effectiveAt",
                                now().minus(Duration.ofDays(1)).toString())),
                400,
                "invalid_request",
                "effectiveAt");
        assertThat(c.get("/v1/subscriptions/" + id).body()).containsEntry("version", 3);
    }

    @Test
    void shouldCancelAtPeriodEndThenNowAndTakeNoChangeOnceEnded() {
        Catalog c = new Catalog();
        c.customer("leaving");
        Instant startAt = now().minus(Duration.ofDays(10));
        Map<String, Object> created = c.subscribed("leaving", "price", c.seats, "startAt", startAt.toString());
        String id = (String) created.get("id");
        String periodEnd = ZonedDateTime.ofInstant(startAt, ZoneId.of("UTC"))
                .plusMonths(1)
                .toInstant()
                .toString();

        Map<String, Object> atPeriodEnd =
                c.cancel(id, Map.of("atPeriodEnd", true)).body();
        assertThat(atPeriodEnd)
                .containsEntry("status", "active")
                .containsEntry("cancelAtPeriodEnd", true)
                .containsEntry("cancelAt", periodEnd)
                .containsEntry("currentPeriodEnd", periodEnd)
                .containsEntry("endedAt", null)
                .containsEntry("version", 2);
        assertThat(atPeriodEnd.get("canceledAt")).isNotNull();
        // a cancellation is only brought forward: a later end could overlap another subscription
        assertError(
                c.cancel(
                        id,
                        Map.of(
                                "at",
                                Instant.parse(periodEnd)
                                        .plus(Duration.ofDays(1))
                                        .toString())),
                400,
                "invalid_request",
                "at");
        assertError(c.cancel(id, Map.of("atPeriodEnd", true, "at", now().toString())), 400, "invalid_request", "at");

        Map<String, Object> now = c.cancel(id, Map.of()).body();
        assertThat(now)
                .containsEntry("status", "canceled")
                .containsEntry("cancelAtPeriodEnd", false)
                .containsEntry("currentPeriodStart", null)
                .containsEntry("currentPeriodEnd", null);
        assertThat(now.get("endedAt")).isEqualTo(now.get("cancelAt")).isNotNull();
        assertError(c.cancel(id, Map.of()), 409, "subscription_canceled", null);
        assertError(c.change(id, null, Map.of("items", List.of(item(c.apiCalls)))), 409, "subscription_canceled", null);
    }

    @Test
    void shouldScheduleACancellationAndBringItForwardOnly() {
        Catalog c = new Catalog();
        c.customer("scheduled");
        String id = (String) c.subscribed("scheduled", "price", c.seats).get("id");
        Instant inFiveDays = now().plus(Duration.ofDays(5));

        Map<String, Object> scheduled =
                c.cancel(id, Map.of("at", inFiveDays.toString())).body();

        assertThat(scheduled).containsEntry("status", "active").containsEntry("cancelAt", inFiveDays.toString());
        assertError(c.cancel(id, Map.of("at", inFiveDays.plusSeconds(1).toString())), 400, "invalid_request", "at");
        assertThat(c.cancel(id, Map.of("at", inFiveDays.minusSeconds(60).toString()))
                        .body())
                .containsEntry("cancelAt", inFiveDays.minusSeconds(60).toString());
    }

    @Test
    void shouldBeTrialingUntilTheTrialEndsAndEndWithTheTrialWhenCancelledAtPeriodEnd() {
        Catalog c = new Catalog();
        c.customer("trial");
        c.customer("trialed");
        Instant trialEnd = now().plus(Duration.ofDays(7));

        Map<String, Object> trialing = c.subscribed("trial", "price", c.seats, "trialEnd", trialEnd.toString());
        Instant ended = now().minus(Duration.ofDays(3));
        Map<String, Object> past = c.subscribed(
                "trialed",
                "price",
                c.seats,
                "startAt",
                now().minus(Duration.ofDays(10)).toString(),
                "trialEnd",
                ended.toString());

        assertThat(trialing)
                .containsEntry("status", "trialing")
                .containsEntry("trialEnd", trialEnd.toString())
                .containsEntry("currentPeriodStart", trialing.get("startAt"))
                .containsEntry("currentPeriodEnd", trialEnd.toString());
        assertThat(past)
                .containsEntry("status", "active")
                .containsEntry("currentPeriodStart", ended.toString())
                .containsEntry(
                        "currentPeriodEnd",
                        ZonedDateTime.ofInstant(ended, ZoneId.of("UTC"))
                                .plusMonths(1)
                                .toInstant()
                                .toString());
        assertThat(c.cancel((String) trialing.get("id"), Map.of("atPeriodEnd", true))
                        .body())
                .containsEntry("status", "trialing")
                .containsEntry("cancelAt", trialEnd.toString());
    }

    @Test
    void shouldPageTheSubscriptionsOldestFirstByCustomerAndStatus() {
        Catalog c = new Catalog();
        c.customer("many");
        c.customer("one");
        String first = (String) c.subscribed("many", "price", c.apiCalls).get("id");
        String second = (String) c.subscribed(
                        "many",
                        "price",
                        c.seats,
                        "trialEnd",
                        now().plus(Duration.ofDays(3)).toString())
                .get("id");
        String third = (String) c.subscribed("many", "price", c.storage).get("id");
        String other = (String) c.subscribed("one", "price", c.seats).get("id");
        c.cancel(third, Map.of());

        Reply firstPage = c.get("/v1/subscriptions?customer=many&limit=2");
        assertThat(ids(firstPage)).containsExactly(first, second);
        assertThat(firstPage.body()).containsEntry("hasMore", true);
        Reply secondPage = c.get("/v1/subscriptions?customer=many&limit=2&startingAfter=" + second);
        assertThat(ids(secondPage)).containsExactly(third);
        assertThat(secondPage.body()).containsEntry("hasMore", false);
        assertThat(ids(c.get("/v1/subscriptions"))).containsExactly(first, second, third, other);
        assertThat(ids(c.get("/v1/subscriptions?status=canceled"))).containsExactly(third);
        assertThat(ids(c.get("/v1/subscriptions?status=trialing"))).containsExactly(second);
        assertThat(ids(c.get("/v1/subscriptions?status=active"))).containsExactly(first, other);
        assertThat(ids(c.get("/v1/subscriptions?status=active&customer=one"))).containsExactly(other);
        assertThat(ids(c.get("/v1/subscriptions?customer=nobody"))).isEmpty();
        assertError(c.get("/v1/subscriptions?status=paused"), 400, "invalid_request", "status");
        assertError(c.get("/v1/subscriptions?startingAfter=sub_missing"), 400, "invalid_request", "startingAfter");
        assertThat(ids(api.get(api.newKey(api.newOrganization("Elsewhere")), "/v1/subscriptions")))
                .isEmpty();
    }

    private static List<Object> ids(Reply page) {
        assertThat(page.code()).as("%s", page.body()).isEqualTo(200);
        return list(page.body().get("data")).stream().map(s -> s.get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    private static String errorMessage(Reply reply) {
        return (String) ((Map<String, Object>) reply.body().get("error")).get("message");
    }
}
