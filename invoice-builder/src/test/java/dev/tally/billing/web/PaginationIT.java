package dev.tally.billing.web;

import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.TestServer;
import dev.tally.schemas.rules.PageSize;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every list endpoint answers {@code {"data":[…],"hasMore":bool}} pages, walked with {@code limit}
 * and {@code startingAfter}, on the real server and PostgreSQL.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaginationIT implements TestPropertyProvider {

    private static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");

    @Inject
    ApiCalls api;

    private TestPostgres.Database database;
    private String org;
    private String key;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        return TestServer.properties(database, "pages");
    }

    /**
     * Five meters, three more keys, 101 ledger statements of c1 (one revised), three customers each
     * invoiced for November.
     */
    @BeforeAll
    void createLists() {
        org = api.newOrganization("Pages");
        key = api.newKey(org);
        for (String feature : List.of("m1", "m2", "m3", "m4", "m5")) {
            assertThat(api.post(key, "/v1/meters", Map.of("feature", feature, "aggregation", "sum"))
                            .code())
                    .isEqualTo(201);
        }
        for (int i = 0; i < 3; i++) {
            api.newKey(org);
        }
        BillingFixtures fixtures = BillingFixtures.on(Jdbi.create(database.dataSource())
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin()));
        for (String customer : List.of("c1", "c2", "c3")) {
            fixtures.catalog(org, "cus_" + customer, customer, "f_" + customer, "price_" + customer, BigDecimal.ONE);
            fixtures.subscribe(org, "cus_" + customer, "price_" + customer);
        }
        for (int hour = 0; hour < 100; hour++) {
            fixtures.ledgerRow("c1-" + hour, org, "c1", "f_c1", NOV.plus(Duration.ofHours(hour)), "1");
        }
        fixtures.statement(org, "c1", "f_c1", NOV).revision(1).quantity("2").insert();
        fixtures.ledgerRow("c2-0", org, "c2", "f_c2", NOV, "1");
        fixtures.ledgerRow("c3-0", org, "c3", "f_c3", NOV, "1");
        assertThat(api.post(
                                key,
                                "/v1/billing-periods/close",
                                Map.of("periodStart", NOV.toString(), "periodEnd", "2026-12-01T00:00:00Z"))
                        .code())
                .isEqualTo(201);
    }

    @Test
    void shouldWalkTheMetersPageByPageInOrder() {
        assertPagesCoverTheList(path -> api.get(key, path), "/v1/meters", "id", 5);
    }

    @Test
    void shouldWalkTheInvoicesPageByPageNewestFirst() {
        assertPagesCoverTheList(path -> api.get(key, path), "/v1/invoices", "id", 3);
    }

    @Test
    void shouldWalkTheCustomersPageByPageOldestFirst() {
        List<Map<String, Object>> all = assertPagesCoverTheList(path -> api.get(key, path), "/v1/customers", "id", 3);

        assertThat(all).extracting(c -> c.get("externalId")).containsExactly("c1", "c2", "c3");
        assertPagesCoverTheList(path -> api.get(key, path), "/v1/customers?createdAfter=2000-01-01T00:00:00Z", "id", 3);
    }

    @Test
    void shouldWalkTheApiKeysPageByPage() {
        assertPagesCoverTheList(
                path -> api.admin(HttpRequest.GET(path)), "/v1/organizations/" + org + "/api-keys", "id", 4);
    }

    @Test
    void shouldWalkTheLedgerPageByPageWithSupersededStatementsMarkedAcrossPages() {
        List<Map<String, Object>> all =
                assertPagesCoverTheList(path -> api.get(key, path), "/v1/ledger?customer=c1", "aggregateId", 101);

        // revision 0 of the first window is on the first page, its revision 1 on the last
        assertThat(all.getFirst().get("revision")).isEqualTo(0);
        assertThat(all.getFirst().get("superseded")).isEqualTo(true);
        assertThat(all.stream().filter(e -> Boolean.TRUE.equals(e.get("superseded"))))
                .hasSize(1);
    }

    @Test
    void shouldAnswerAHundredItemsByDefaultAndSayMoreFollow() {
        Reply first = api.get(key, "/v1/ledger?customer=c1");

        assertThat(first.code()).isEqualTo(200);
        assertThat(list(first.body().get("data"))).hasSize(PageSize.DEFAULT);
        assertThat(first.body().get("hasMore")).isEqualTo(true);
        assertThat(list(api.get(key, "/v1/ledger?customer=c1&limit=1000").body().get("data")))
                .hasSize(101);
    }

    /**
     * Walks {@code path} two items at a time and checks that the pages, joined, are the whole list
     * (one page of 1000) in its order, with {@code hasMore} false only on the last page.
     */
    private List<Map<String, Object>> assertPagesCoverTheList(
            Function<String, Reply> get, String path, String idField, int size) {
        String separator = path.contains("?") ? "&" : "?";
        Reply whole = get.apply(path + separator + "limit=1000");
        assertThat(whole.code()).as("%s", whole.body()).isEqualTo(200);
        List<Map<String, Object>> expected = list(whole.body().get("data"));
        assertThat(expected).hasSize(size);
        assertThat(whole.body().get("hasMore")).isEqualTo(false);

        List<Map<String, Object>> walked = new ArrayList<>();
        String after = null;
        int pages = 0;
        boolean more = true;
        while (more) {
            Reply page = get.apply(path + separator + "limit=2"
                    + (after == null ? "" : "&startingAfter=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
            assertThat(page.code()).as("%s", page.body()).isEqualTo(200);
            List<Map<String, Object>> data = list(page.body().get("data"));
            more = (Boolean) page.body().get("hasMore");
            assertThat(data).hasSize(more ? 2 : size - walked.size());
            walked.addAll(data);
            after = (String) data.getLast().get(idField);
            pages++;
        }
        assertThat(pages).isEqualTo((size + 1) / 2);
        assertThat(walked)
                .extracting(e -> e.get(idField))
                .containsExactlyElementsOf(
                        expected.stream().map(e -> e.get(idField)).toList());
        return walked;
    }
}
