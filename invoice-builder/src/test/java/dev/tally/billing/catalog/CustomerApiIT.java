package dev.tally.billing.catalog;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The customer endpoints through HTTP, on the real server and PostgreSQL. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerApiIT implements TestPropertyProvider {

    private static final Argument<Map<String, Object>> JSON = Argument.mapOf(String.class, Object.class);

    @Inject
    ApiCalls api;

    @Inject
    @Client("/")
    HttpClient http;

    private TestPostgres.Database database;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        return TestServer.properties(database, "customers");
    }

    /** A status, a JSON body and the {@code ETag} header. */
    private record Answer(int code, Map<String, Object> body, String etag) {
        Reply reply() {
            return new Reply(code, body);
        }

        String id() {
            return (String) body.get("id");
        }

        Object version() {
            return body.get("version");
        }
    }

    @Test
    void shouldCreateACustomerWithEveryFieldAndTagTheAnswerWithItsVersion() {
        String key = api.newKey(api.newOrganization("Every field"));

        Answer created = create(
                key,
                """
                {"externalId":"ada","name":"Ada Lovelace","email":"Ada@Example.COM","phone":"+442071234567",
                 "timeZone":"europe/london","currency":"gbp","appMetadata":{"plan":"gold","seats":"12"},
                 "internalMetadata":{"crm":"A-42"}}""");

        assertThat(created.code()).as("%s", created.body()).isEqualTo(201);
        assertThat(created.id()).startsWith("cus_");
        assertThat(created.body())
                .containsEntry("externalId", "ada")
                .containsEntry("name", "Ada Lovelace")
                .containsEntry("email", "Ada@example.com")
                .containsEntry("phone", "+442071234567")
                .containsEntry("timeZone", "Europe/London")
                .containsEntry("currency", "GBP")
                .containsEntry("appMetadata", Map.of("plan", "gold", "seats", "12"))
                .containsEntry("internalMetadata", Map.of("crm", "A-42"))
                .containsEntry("version", 1)
                .containsEntry("livemode", false)
                .containsEntry("archived", false)
                .containsEntry("archivedAt", null);
        assertThat(created.body().get("updatedAt")).isEqualTo(created.body().get("createdAt"));
        assertThat(created.etag()).isEqualTo("\"1\"");
        Answer read = get(key, created.id());
        assertThat(read.body()).isEqualTo(created.body());
        assertThat(read.etag()).isEqualTo("\"1\"");
    }

    @Test
    void shouldAnswerTheSameFieldsAsBeforeForACustomerCreatedWithAnIdAndAName() {
        String key = api.newKey(api.newOrganization("Old clients"));

        Reply created = api.post(key, "/v1/customers", Map.of("externalId", "c1", "name", "Customer One"));

        assertThat(created.code()).isEqualTo(201);
        assertThat(created.body())
                .containsEntry("externalId", "c1")
                .containsEntry("name", "Customer One")
                .containsEntry("livemode", false)
                .containsKeys("id", "createdAt")
                .containsEntry("email", null)
                .containsEntry("phone", null)
                .containsEntry("currency", null)
                .containsEntry("timeZone", "UTC")
                .containsEntry("appMetadata", Map.of())
                .containsEntry("internalMetadata", Map.of());
    }

    @Test
    void shouldGiveANewCustomerItsOrganizationsZoneAndLeaveExistingOnesTheirs() {
        String org = api.newOrganization("Zones");
        String key = api.newKey(org);
        assertThat(patchOrganization(org, "{\"timeZone\":\"Asia/Tokyo\"}").body())
                .containsEntry("timeZone", "Asia/Tokyo");

        Answer tokyo = create(key, "{\"externalId\":\"tokyo\"}");
        Answer nullZone = create(key, "{\"externalId\":\"null-zone\",\"timeZone\":null}");
        Answer paris = create(key, "{\"externalId\":\"paris\",\"timeZone\":\"Europe/Paris\"}");
        patchOrganization(org, "{\"timeZone\":\"America/Sao_Paulo\"}");
        Answer later = create(key, "{\"externalId\":\"later\"}");

        assertThat(tokyo.body()).containsEntry("timeZone", "Asia/Tokyo");
        assertThat(nullZone.body()).containsEntry("timeZone", "Asia/Tokyo");
        assertThat(paris.body()).containsEntry("timeZone", "Europe/Paris");
        assertThat(get(key, tokyo.id()).body()).containsEntry("timeZone", "Asia/Tokyo");
        assertThat(later.body()).containsEntry("timeZone", "America/Sao_Paulo");
    }

    @Test
    void shouldKeepOneActiveCustomerPerEmailAndModeIgnoringCase() {
        String org = api.newOrganization("Emails");
        String key = api.newKey(org);
        String live = liveKey(org);
        Answer bob = create(key, "{\"externalId\":\"bob\",\"email\":\"bob@example.com\"}");
        Answer other = create(key, "{\"externalId\":\"other\",\"email\":\"other@example.com\"}");

        assertError(
                create(key, "{\"externalId\":\"bob2\",\"email\":\"BOB@example.com\"}")
                        .reply(),
                409,
                "already_exists",
                "email");
        assertError(
                patch(key, other.id(), "{\"email\":\"Bob@Example.com\"}", null).reply(),
                409,
                "already_exists",
                "email");
        assertThat(get(key, other.id()).body())
                .containsEntry("email", "other@example.com")
                .containsEntry("version", 1);
        assertThat(create(live, "{\"externalId\":\"bob\",\"email\":\"bob@example.com\"}")
                        .code())
                .isEqualTo(201);
        assertThat(archive(key, bob.id()).code()).isEqualTo(200);
        assertThat(create(key, "{\"externalId\":\"bob-again\",\"email\":\"bob@example.com\"}")
                        .code())
                .isEqualTo(201);
        assertError(create(key, "{\"externalId\":\"bob\"}").reply(), 409, "already_exists", "externalId");
    }

    @Test
    void shouldApplyAPatchOnlyAtTheVersionIfMatchNames() {
        String key = api.newKey(api.newOrganization("Versions"));
        Answer created = create(key, "{\"externalId\":\"v\",\"name\":\"First\"}");

        Answer fresh = patch(key, created.id(), "{\"name\":\"Second\"}", "\"1\"");
        Answer stale = patch(key, created.id(), "{\"name\":\"Lost update\"}", "\"1\"");
        Answer unquoted = patch(key, created.id(), "{\"name\":\"Third\"}", "2");
        Answer unconditional = patch(key, created.id(), "{\"name\":\"Fourth\"}", null);
        Answer any = patch(key, created.id(), "{\"name\":\"Fifth\"}", "*");

        assertThat(fresh.code()).as("%s", fresh.body()).isEqualTo(200);
        assertThat(fresh.body()).containsEntry("name", "Second").containsEntry("version", 2);
        assertThat(fresh.etag()).isEqualTo("\"2\"");
        assertError(stale.reply(), 409, "version_conflict", null);
        assertThat((String) ((Map<?, ?>) stale.body().get("error")).get("message"))
                .contains("version 2");
        assertThat(unquoted.body()).containsEntry("name", "Third").containsEntry("version", 3);
        assertThat(unconditional.body()).containsEntry("version", 4);
        assertThat(any.body()).containsEntry("name", "Fifth").containsEntry("version", 5);
        assertThat(Instant.parse((String) any.body().get("updatedAt")))
                .isAfter(Instant.parse((String) created.body().get("updatedAt")));
        assertError(
                patch(key, created.id(), "{\"name\":\"x\"}", "W/\"5\"").reply(), 400, "invalid_request", "If-Match");
        assertError(patch(key, created.id(), "{\"name\":\"x\"}", "five").reply(), 400, "invalid_request", "If-Match");
        assertThat(get(key, created.id()).body()).containsEntry("name", "Fifth").containsEntry("version", 5);
    }

    @Test
    void shouldLetExactlyOneOfConcurrentWritesWinAndAnswerTheOthersWithAConflict() throws Exception {
        String key = api.newKey(api.newOrganization("Races"));
        String id = create(key, "{\"externalId\":\"raced\"}").id();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Answer>> patches = new ArrayList<>();
            List<Future<Answer>> creates = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String name = "writer " + i;
                String externalId = "racer-" + i;
                patches.add(pool.submit(() -> patch(key, id, "{\"name\":\"" + name + "\"}", "\"1\"")));
                creates.add(pool.submit(
                        () -> create(key, "{\"externalId\":\"" + externalId + "\",\"email\":\"race@example.com\"}")));
            }

            assertThat(codes(patches))
                    .containsOnly(200, 409)
                    .filteredOn(code -> code == 200)
                    .hasSize(1);
            assertThat(codes(creates))
                    .containsOnly(201, 409)
                    .filteredOn(code -> code == 201)
                    .hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(get(key, id).body()).containsEntry("version", 2);
        assertThat(ids(api.get(key, "/v1/customers?email=race%40example.com"))).hasSize(1);
    }

    private static List<Integer> codes(List<Future<Answer>> answers) throws Exception {
        List<Integer> codes = new ArrayList<>();
        for (Future<Answer> answer : answers) {
            codes.add(answer.get(60, TimeUnit.SECONDS).code());
        }
        return codes;
    }

    @Test
    void shouldClearWhatAPatchGivesNullKeepTheRestAndCountNoVersionForNoChange() {
        String key = api.newKey(api.newOrganization("Clearing"));
        Answer created = create(
                key,
                """
                {"externalId":"full","name":"Full","email":"full@example.com","phone":"+14155550123",
                 "timeZone":"Europe/Paris","currency":"EUR","appMetadata":{"a":"1"},"internalMetadata":{"b":"2"}}""");

        Answer cleared =
                patch(key, created.id(), "{\"phone\":null,\"currency\":null,\"appMetadata\":null,\"name\":null}", "1");
        Answer unchanged = patch(key, created.id(), "{\"email\":\"full@EXAMPLE.com\",\"externalId\":\"full\"}", "2");
        Answer empty = patch(key, created.id(), "{}", null);
        Answer replaced = patch(key, created.id(), "{\"internalMetadata\":{\"c\":\"3\"}}", "2");

        assertThat(cleared.body())
                .containsEntry("phone", null)
                .containsEntry("currency", null)
                .containsEntry("name", null)
                .containsEntry("appMetadata", Map.of())
                .containsEntry("email", "full@example.com")
                .containsEntry("timeZone", "Europe/Paris")
                .containsEntry("internalMetadata", Map.of("b", "2"))
                .containsEntry("version", 2);
        assertThat(unchanged.body()).isEqualTo(cleared.body());
        assertThat(unchanged.etag()).isEqualTo("\"2\"");
        assertThat(empty.body()).isEqualTo(cleared.body());
        assertThat(replaced.body())
                .containsEntry("internalMetadata", Map.of("c", "3"))
                .containsEntry("version", 3);
        assertError(patch(key, created.id(), "{\"timeZone\":null}", null).reply(), 400, "invalid_request", "timeZone");
        assertError(
                patch(key, created.id(), "{\"externalId\":\"renamed\"}", null).reply(),
                400,
                "invalid_request",
                "externalId");
        assertError(
                patch(key, created.id(), "{\"externalId\":null}", null).reply(), 400, "invalid_request", "externalId");
        assertError(patch(key, created.id(), "{\"version\":3}", null).reply(), 400, "unknown_field", "version");
        assertThat(get(key, created.id()).body()).isEqualTo(replaced.body());
    }

    /**
     * <pre>
     *             Nov 1                                   Dec 1
     *  gone       |  10 × 0.25 (usage before archival)     | → still invoiced, 2.50 USD
     *                       ▲ archived Nov 15
     * </pre>
     */
    @Test
    void shouldArchiveOnceKeepTheCustomerReadableAndInvoicedAndRefuseChangesAndSubscriptions() {
        String org = api.newOrganization("Archive");
        String key = api.newKey(org);
        BillingFixtures fixtures = BillingFixtures.on(Jdbi.create(database.dataSource())
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin()));
        fixtures.catalog(org, "cus_gone", "gone", "storage", "price_gone", new BigDecimal("0.25"));
        fixtures.subscribe(org, "cus_gone", "price_gone");
        fixtures.ledgerRow("gone-1", org, "gone", "storage", Instant.parse("2026-11-03T00:00:00Z"), "10");
        Answer stays = create(key, "{\"externalId\":\"stays\"}");

        Answer archived = archive(key, "cus_gone");
        Answer again = archive(key, "cus_gone");

        assertThat(archived.code()).as("%s", archived.body()).isEqualTo(200);
        assertThat(archived.body()).containsEntry("archived", true).containsEntry("version", 2);
        assertThat(archived.body().get("archivedAt")).isNotNull();
        assertThat(archived.etag()).isEqualTo("\"2\"");
        assertThat(again.code()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(archived.body());
        assertThat(get(key, "cus_gone").body()).isEqualTo(archived.body());
        assertThat(ids(api.get(key, "/v1/customers"))).containsExactly(stays.id());
        assertThat(ids(api.get(key, "/v1/customers?archived=false"))).containsExactly(stays.id());
        assertThat(ids(api.get(key, "/v1/customers?archived=true"))).containsExactly("cus_gone");
        assertError(patch(key, "cus_gone", "{\"name\":\"x\"}", null).reply(), 409, "customer_archived", null);
        api.post(key, "/v1/products", Map.of("featureKey", "ai_call"));
        String price = (String) api.post(key, "/v1/prices", Map.of("product", "ai_call", "unitAmount", "1"))
                .body()
                .get("id");
        assertError(
                api.post(key, "/v1/subscriptions", Map.of("customer", "gone", "price", price)),
                409,
                "customer_archived",
                "customer");
        assertThat(api.post(key, "/v1/subscriptions", Map.of("customer", "stays", "price", price))
                        .code())
                .isEqualTo(201);

        Reply closed = api.post(
                key,
                "/v1/billing-periods/close",
                Map.of("periodStart", "2026-11-01T00:00:00Z", "periodEnd", "2026-12-01T00:00:00Z"));
        assertThat(closed.code()).as("%s", closed.body()).isEqualTo(201);
        List<Map<String, Object>> invoices =
                list(api.get(key, "/v1/invoices?customer=gone").body().get("data"));
        assertThat(invoices).singleElement().satisfies(invoice -> assertThat(invoice)
                .containsEntry("customer", "cus_gone")
                .containsEntry("totalMinor", 250));
    }

    @Test
    void shouldWalkTheListPageByPageWithItsFilters() {
        String key = api.newKey(api.newOrganization("Lists"));
        List<String> ids = List.of(
                create(key, "{\"externalId\":\"l1\",\"email\":\"l1@example.com\"}")
                        .id(),
                create(key, "{\"externalId\":\"l2\"}").id(),
                create(key, "{\"externalId\":\"l3\",\"email\":\"l3@example.com\"}")
                        .id(),
                create(key, "{\"externalId\":\"l4\"}").id(),
                create(key, "{\"externalId\":\"l5\"}").id());
        String createdAfterFirst = (String) get(key, ids.getFirst()).body().get("createdAt");
        String createdOfLast = (String) get(key, ids.getLast()).body().get("createdAt");

        Reply first = api.get(key, "/v1/customers?limit=2");
        Reply second = api.get(key, "/v1/customers?limit=2&startingAfter=" + ids.get(1));
        Reply last = api.get(key, "/v1/customers?limit=2&startingAfter=" + ids.get(3));

        assertThat(ids(first)).containsExactlyElementsOf(ids.subList(0, 2));
        assertThat(first.body().get("hasMore")).isEqualTo(true);
        assertThat(ids(second)).containsExactlyElementsOf(ids.subList(2, 4));
        assertThat(ids(last)).containsExactly(ids.get(4));
        assertThat(last.body().get("hasMore")).isEqualTo(false);
        assertThat(ids(api.get(key, "/v1/customers?email=L3%40EXAMPLE.com"))).containsExactly(ids.get(2));
        assertThat(ids(api.get(key, "/v1/customers?externalId=l4"))).containsExactly(ids.get(3));
        assertThat(ids(api.get(key, "/v1/customers?externalId=nobody"))).isEmpty();
        assertThat(ids(api.get(
                        key,
                        "/v1/customers?createdAfter=" + encode(createdAfterFirst) + "&createdBefore="
                                + encode(createdOfLast))))
                .containsExactlyElementsOf(ids.subList(1, 4));
        assertThat(ids(api.get(key, "/v1/customers?createdAfter=" + encode(createdAfterFirst) + "&limit=1")))
                .containsExactly(ids.get(1));
        assertError(api.get(key, "/v1/customers?startingAfter=cus_nope"), 400, "invalid_request", "startingAfter");
    }

    @Test
    void shouldKeepEveryOrganizationAndModeToItsOwnCustomers() {
        String org = api.newOrganization("Mine");
        String key = api.newKey(org);
        String live = liveKey(org);
        String stranger = api.newKey(api.newOrganization("Theirs"));
        Answer mine = create(key, "{\"externalId\":\"shared-id\",\"name\":\"Mine\"}");

        for (String other : List.of(live, stranger)) {
            assertError(get(other, mine.id()).reply(), 404, "not_found", null);
            assertError(
                    patch(other, mine.id(), "{\"name\":\"Taken over\"}", null).reply(), 404, "not_found", null);
            assertError(archive(other, mine.id()).reply(), 404, "not_found", null);
            assertThat(ids(api.get(other, "/v1/customers"))).isEmpty();
            assertThat(ids(api.get(other, "/v1/customers?externalId=shared-id")))
                    .isEmpty();
            assertError(
                    api.get(other, "/v1/customers?startingAfter=" + mine.id()),
                    400,
                    "invalid_request",
                    "startingAfter");
            assertThat(create(other, "{\"externalId\":\"shared-id\"}").code()).isEqualTo(201);
        }
        assertThat(get(key, mine.id()).body())
                .containsEntry("name", "Mine")
                .containsEntry("version", 1)
                .containsEntry("archived", false);
        assertThat(ids(api.get(key, "/v1/customers"))).containsExactly(mine.id());
        assertThat(get(live, (String) ids(api.get(live, "/v1/customers")).getFirst())
                        .body())
                .containsEntry("livemode", true);
    }

    @Test
    void shouldAnswerEachInvalidFieldWith400NamingIt() {
        String key = api.newKey(api.newOrganization("Checks"));
        String id = create(key, "{\"externalId\":\"checked\"}").id();
        Map<String, String> badMembers = Map.ofEntries(
                Map.entry("email", "{\"email\":\"not-an-address\"}"),
                Map.entry("phone", "{\"phone\":\"+1 415 555 0123\"}"),
                Map.entry("timeZone", "{\"timeZone\":\"+02:00\"}"),
                Map.entry("currency", "{\"currency\":\"ABC\"}"),
                Map.entry("name", "{\"name\":\"" + "n".repeat(201) + "\"}"),
                Map.entry("appMetadata", "{\"appMetadata\":[\"a\"]}"),
                Map.entry("internalMetadata", "{\"internalMetadata\":{\"" + "k".repeat(41) + "\":\"v\"}}"));

        badMembers.forEach((field, member) -> {
            String body = "{\"externalId\":\"new\"," + member.substring(1);
            assertError(create(key, body).reply(), 400, "invalid_request", field);
            assertError(patch(key, id, member, null).reply(), 400, "invalid_request", field);
        });
        assertError(create(key, "{\"name\":\"no id\"}").reply(), 400, "invalid_request", "externalId");
        assertError(create(key, "{\"externalId\":\"acct/42\"}").reply(), 400, "invalid_request", "externalId");
        assertError(
                create(key, "{\"externalId\":\"m\",\"appMetadata\":{\"n\":1}}").reply(),
                400,
                "invalid_request",
                "appMetadata");
        assertError(
                create(key, "{\"externalId\":\"m\",\"appMetadata\":\"x\"}").reply(),
                400,
                "invalid_request",
                "appMetadata");
        assertError(api.get(key, "/v1/customers?email=nope"), 400, "invalid_request", "email");
        assertError(api.get(key, "/v1/customers?externalId=a%2Fb"), 400, "invalid_request", "externalId");
        assertError(api.get(key, "/v1/customers?archived=yes"), 400, "invalid_request", "archived");
        assertError(api.get(key, "/v1/customers?createdAfter=yesterday"), 400, "invalid_request", "createdAfter");
        assertError(api.get(key, "/v1/customers?limit=0"), 400, "invalid_request", "limit");
        assertError(get(key, "cus_missing").reply(), 404, "not_found", null);
        assertError(patch(key, "cus_missing", "{\"name\":\"x\"}", null).reply(), 404, "not_found", null);
        assertError(archive(key, "cus_missing").reply(), 404, "not_found", null);
        assertThat(get(key, id).body()).containsEntry("version", 1);
        assertThat(ids(api.get(key, "/v1/customers"))).containsExactly(id);
    }

    @Test
    void shouldNeedBillingWriteToChangeAndBillingReadToRead() {
        String org = api.newOrganization("Scopes");
        String key = api.newKey(org);
        String reader = keyWith(org, "billing:read");
        String writer = keyWith(org, "billing:write");
        String id = create(key, "{\"externalId\":\"scoped\"}").id();

        assertThat(get(reader, id).code()).isEqualTo(200);
        assertThat(api.get(reader, "/v1/customers").code()).isEqualTo(200);
        assertError(create(reader, "{\"externalId\":\"r\"}").reply(), 403, "insufficient_scope", null);
        assertError(patch(reader, id, "{\"name\":\"r\"}", null).reply(), 403, "insufficient_scope", null);
        assertError(archive(reader, id).reply(), 403, "insufficient_scope", null);
        assertError(get(writer, id).reply(), 403, "insufficient_scope", null);
        assertThat(patch(writer, id, "{\"name\":\"w\"}", null).code()).isEqualTo(200);
    }

    private Answer create(String key, String json) {
        return send(HttpRequest.POST("/v1/customers", json)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .bearerAuth(key));
    }

    private Answer get(String key, String id) {
        return send(HttpRequest.GET("/v1/customers/" + id).bearerAuth(key));
    }

    private Answer patch(String key, String id, String json, String ifMatch) {
        MutableHttpRequest<String> request = HttpRequest.PATCH("/v1/customers/" + id, json)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .bearerAuth(key);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return send(request);
    }

    private Answer archive(String key, String id) {
        return send(HttpRequest.POST("/v1/customers/" + id + "/archive", "").bearerAuth(key));
    }

    private Reply patchOrganization(String org, String json) {
        return api.admin(
                HttpRequest.PATCH("/v1/organizations/" + org, json).contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    private String liveKey(String org) {
        return (String) api.admin(HttpRequest.POST("/v1/organizations/" + org + "/api-keys", Map.of("livemode", true)))
                .body()
                .get("key");
    }

    private String keyWith(String org, String scope) {
        return (String)
                api.admin(HttpRequest.POST("/v1/organizations/" + org + "/api-keys", Map.of("scopes", List.of(scope))))
                        .body()
                        .get("key");
    }

    private Answer send(MutableHttpRequest<?> request) {
        try {
            HttpResponse<Map<String, Object>> response = http.toBlocking().exchange(request, JSON);
            return new Answer(response.code(), response.body(), response.header("ETag"));
        } catch (HttpClientResponseException e) {
            return new Answer(
                    e.code(),
                    e.getResponse().getBody(JSON).orElse(Map.of()),
                    e.getResponse().header("ETag"));
        }
    }

    private static List<Object> ids(Reply page) {
        assertThat(page.code()).as("%s", page.body()).isEqualTo(200);
        return list(page.body().get("data")).stream().map(c -> c.get("id")).toList();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
