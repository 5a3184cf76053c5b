package dev.tally.billing.draft;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.billing.InvoiceFixtures.Usage;
import dev.tally.billing.MutableClock;
import dev.tally.billing.PlacedClocks;
import dev.tally.billing.TestServer;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Editing drafts over HTTP: one-off lines added and removed, memo, footer and autoFinalizeAt changed, the total
 * and the customer's credit line recomputed after each edit; every bad input (400 naming the field), a draft no
 * longer a draft (409 with its status), another organization's invoice (404); the organization's
 * autoFinalizeDelay; lineage and verification of one-off lines.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DraftApiIT implements TestPropertyProvider {

    private static final UsagePeriod NOV =
            new UsagePeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final Instant CREATED = Instant.parse("2026-12-01T00:00:02Z");
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final MutableClock CLOCK = PlacedClocks.place("draft-api", new MutableClock(NOW));
    private static final List<Usage> USAGE = List.of(new Usage("price_calls", "ai_call", "200", "0.05", 1234));

    @Inject
    ApiCalls api;

    private TestPostgres.Database database;
    private InvoiceFixtures invoices;
    private String org;
    private String key;
    private String otherKey;
    private String customer;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        Map<String, String> properties = TestServer.properties(database, "drafts");
        properties.put(PlacedClocks.PROPERTY, "draft-api");
        // no draft of this test has an autoFinalizeAt the worker could reach, but it stays out of the way
        properties.put("tally.billing.drafts.enabled", "false");
        return properties;
    }

    @BeforeAll
    void createAnOrganization() {
        org = api.newOrganization("Acme");
        key = api.newKey(org);
        otherKey = api.newKey(api.newOrganization("Other"));
        customer = newCustomer("cust_1");
        invoices = new InvoiceFixtures(Jdbi.create(database.dataSource()));
        invoices.price(org, "price_calls", "ai_call", "USD", "0.05");
    }

    @BeforeEach
    void placeTheClock() {
        CLOCK.set(NOW);
    }

    private String newCustomer(String externalId) {
        return (String) api.post(key, "/v1/customers", Map.of("externalId", externalId))
                .body()
                .get("id");
    }

    private String draft(List<Usage> lines) {
        return invoices.draft(org, customer, "USD", NOV, CREATED, lines);
    }

    private ApiCalls.Reply addLine(String invoice, String description, String quantity, String unitAmount) {
        Map<String, Object> body = new HashMap<>();
        body.put("description", description);
        body.put("quantity", quantity);
        body.put("unitAmount", unitAmount);
        return api.post(key, "/v1/invoices/" + invoice + "/lines", body);
    }

    private ApiCalls.Reply removeLine(String k, String invoice, String line) {
        return api.send(
                HttpRequest.DELETE("/v1/invoices/" + invoice + "/lines/" + line).bearerAuth(k));
    }

    private ApiCalls.Reply patch(String k, String invoice, String json) {
        return api.send(HttpRequest.PATCH("/v1/invoices/" + invoice, json)
                .contentType("application/json")
                .bearerAuth(k));
    }

    private static List<Map<String, Object>> lines(ApiCalls.Reply reply) {
        return list(reply.body().get("lines"));
    }

    private static String lineOf(ApiCalls.Reply reply, String kind) {
        return lines(reply).stream()
                .filter(line -> kind.equals(line.get("kind")))
                .map(line -> (String) line.get("id"))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    private static void assertConflict(ApiCalls.Reply reply, String status) {
        assertError(reply, 409, "invoice_state_conflict", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) reply.body().get("error");
        assertThat(error).containsEntry("status", status);
    }

    @Test
    void shouldAddAOneOffLineRoundedHalfEvenAndRemoveItWithTheTotalFollowing() {
        String invoice = draft(USAGE);

        ApiCalls.Reply added = addLine(invoice, "Onboarding workshop", "3", "0.125");

        assertThat(added.code()).isEqualTo(201);
        assertThat(added.body()).containsEntry("status", "draft").containsEntry("totalMinor", 1234 + 38);
        assertThat(lines(added))
                .extracting(l -> l.get("kind"), l -> l.get("description"), l -> l.get("amountMinor"))
                .containsExactly(
                        tuple("usage", "ai_call usage, " + NOV, 1234),
                        // 3 × 0.125 = 0.375, rounded once HALF_EVEN to the cent
                        tuple("one_off", "Onboarding workshop", 38));
        Map<String, Object> oneOff = lines(added).get(1);
        assertThat(oneOff)
                .containsEntry("quantity", "3.000000000")
                .containsEntry("unitAmount", "0.125000000")
                .containsEntry("amount", "0.38")
                .containsEntry("price", null)
                .containsEntry("periodStart", null);
        assertThat(addLine(invoice, "Half a unit", "1", "0.125").body()).containsEntry("totalMinor", 1234 + 38 + 12);
        assertThat(api.get(key, "/v1/invoices/" + invoice).body()).containsEntry("totalMinor", 1234 + 38 + 12);

        ApiCalls.Reply removed = removeLine(key, invoice, (String) oneOff.get("id"));

        assertThat(removed.code()).isEqualTo(200);
        assertThat(removed.body()).containsEntry("totalMinor", 1234 + 12);
        assertThat(lines(removed)).extracting(l -> l.get("kind")).containsExactly("usage", "one_off");

        ApiCalls.Reply finalized = api.post(key, "/v1/invoices/" + invoice + "/finalize", Map.of());
        assertThat(finalized.body()).containsEntry("status", "finalized").containsEntry("totalMinor", 1234 + 12);
    }

    @Test
    void shouldRecomputeTheCustomersCreditAfterEveryEdit() {
        String credited = newCustomer("cust_credit");
        String goodwill = invoices.draft(org, credited, "USD", NOV, CREATED, List.of());
        ApiCalls.Reply negative = addLine(goodwill, "Goodwill credit", "1", "-30.00");
        assertThat(negative.body()).containsEntry("totalMinor", 0);
        assertThat(lines(negative))
                .extracting(l -> l.get("kind"), l -> l.get("amountMinor"))
                .containsExactly(tuple("one_off", -3000), tuple("credit_carried_forward", 3000));
        assertThat(api.post(key, "/v1/invoices/" + goodwill + "/finalize", Map.of())
                        .code())
                .isEqualTo(200);

        String next = invoices.draft(org, credited, "USD", NOV, CREATED.plusSeconds(1), List.of());
        ApiCalls.Reply consulting = addLine(next, "Consulting", "1", "50");
        assertThat(consulting.body()).containsEntry("totalMinor", 2000);
        assertThat(lines(consulting))
                .extracting(l -> l.get("kind"), l -> l.get("amountMinor"))
                .containsExactly(tuple("one_off", 5000), tuple("credit_applied", -3000));

        ApiCalls.Reply discounted = addLine(next, "Discount", "1", "-40");
        assertThat(discounted.body()).containsEntry("totalMinor", 0);
        assertThat(lines(discounted))
                .extracting(l -> l.get("kind"), l -> l.get("amountMinor"))
                .containsExactly(tuple("one_off", 5000), tuple("one_off", -4000), tuple("credit_applied", -1000));

        ApiCalls.Reply back =
                removeLine(key, next, (String) lines(discounted).get(1).get("id"));
        assertThat(back.body()).containsEntry("totalMinor", 2000);
        assertThat(lines(back))
                .extracting(l -> l.get("kind"), l -> l.get("amountMinor"))
                .containsExactly(tuple("one_off", 5000), tuple("credit_applied", -3000));

        ApiCalls.Reply none = removeLine(key, next, (String) lines(back).get(0).get("id"));
        assertThat(none.body()).containsEntry("totalMinor", 0);
        assertThat(lines(none)).as("no credit is applied to nothing").isEmpty();
    }

    @Test
    void shouldChangeAndClearTheMemoFooterAndAutoFinalizeAt() {
        String invoice = draft(USAGE);
        String at = NOW.plusSeconds(3600).toString();

        ApiCalls.Reply changed = patch(
                key,
                invoice,
                "{\"memo\":\"Thank you for your business\",\"footer\":\"Acme Inc., 1 Main St\",\"autoFinalizeAt\":\""
                        + at + "\"}");

        assertThat(changed.code()).isEqualTo(200);
        assertThat(changed.body())
                .containsEntry("memo", "Thank you for your business")
                .containsEntry("footer", "Acme Inc., 1 Main St")
                .containsEntry("autoFinalizeAt", at)
                .containsEntry("totalMinor", 1234);

        ApiCalls.Reply memoOnly = patch(key, invoice, "{\"memo\":\"Net 30, please\"}");
        assertThat(memoOnly.body())
                .containsEntry("memo", "Net 30, please")
                .containsEntry("footer", "Acme Inc., 1 Main St")
                .containsEntry("autoFinalizeAt", at);

        ApiCalls.Reply cleared = patch(key, invoice, "{\"memo\":\"\",\"footer\":null,\"autoFinalizeAt\":null}");
        assertThat(cleared.body())
                .containsEntry("memo", null)
                .containsEntry("footer", null)
                .containsEntry("autoFinalizeAt", null);
        assertThat(api.get(key, "/v1/invoices/" + invoice).body()).containsEntry("memo", null);
    }

    @Test
    void shouldRefuseEveryBadInputNamingItsField() {
        String invoice = draft(USAGE);

        assertError(addLine(invoice, "Fee", "-1", "10"), 400, "invalid_request", "quantity");
        assertError(addLine(invoice, "Fee", "0", "10"), 400, "invalid_request", "quantity");
        assertError(addLine(invoice, "Fee", "lots", "10"), 400, "invalid_request", "quantity");
        assertError(addLine(invoice, "Fee", "1", "ten"), 400, "invalid_request", "unitAmount");
        assertError(addLine(invoice, "Fee", "1", "1.0000000001"), 400, "invalid_request", "unitAmount");
        assertError(addLine(invoice, "Fee", "1", null), 400, "invalid_request", "unitAmount");
        assertError(addLine(invoice, "Fee", "100000000000000", "999999999999"), 400, "invalid_request", "unitAmount");
        assertError(addLine(invoice, " ", "1", "10"), 400, "invalid_request", "description");
        assertError(addLine(invoice, "x".repeat(501), "1", "10"), 400, "invalid_request", "description");
        assertError(
                api.post(key, "/v1/invoices/" + invoice + "/lines", Map.of("descripton", "typo")),
                400,
                "unknown_field",
                "descripton");

        assertError(patch(key, invoice, "{\"memo\":\"" + "m".repeat(2001) + "\"}"), 400, "invalid_request", "memo");
        assertError(patch(key, invoice, "{\"footer\":\"" + "f".repeat(2001) + "\"}"), 400, "invalid_request", "footer");
        assertError(patch(key, invoice, "{\"autoFinalizeAt\":\"tomorrow\"}"), 400, "invalid_request", "autoFinalizeAt");
        assertError(
                patch(key, invoice, "{\"autoFinalizeAt\":\"" + NOW.minusSeconds(1) + "\"}"),
                400,
                "invalid_request",
                "autoFinalizeAt");
        assertError(
                patch(key, invoice, "{\"autoFinalizeAt\":\"" + NOW.plusSeconds(31L * 86_400) + "\"}"),
                400,
                "invalid_request",
                "autoFinalizeAt");

        ApiCalls.Reply shown = api.get(key, "/v1/invoices/" + invoice);
        String usageLine = lineOf(shown, "usage");
        assertError(removeLine(key, invoice, usageLine), 400, "invalid_request", "line");
        assertError(removeLine(key, invoice, "il_unknown"), 400, "invalid_request", "line");
        String other = draft(USAGE);
        String othersLine = lineOf(addLine(other, "Fee", "1", "1"), "one_off");
        assertError(removeLine(key, invoice, othersLine), 400, "invalid_request", "line");
        assertThat(lines(api.get(key, "/v1/invoices/" + other))).hasSize(2);
        assertThat(api.get(key, "/v1/invoices/" + invoice).body())
                .as("nothing refused changed the draft")
                .isEqualTo(shown.body());
    }

    @Test
    void shouldAnswer409WithTheStatusOnceItIsNoLongerADraftAnd404ForAnotherOrganizations() {
        String invoice = draft(USAGE);
        String oneOff = lineOf(addLine(invoice, "Fee", "1", "5"), "one_off");
        assertThat(api.post(key, "/v1/invoices/" + invoice + "/finalize", Map.of())
                        .code())
                .isEqualTo(200);

        assertConflict(addLine(invoice, "Late fee", "1", "5"), "finalized");
        assertConflict(removeLine(key, invoice, oneOff), "finalized");
        assertConflict(patch(key, invoice, "{\"memo\":\"too late\"}"), "finalized");
        assertThat(api.get(key, "/v1/invoices/" + invoice).body())
                .containsEntry("totalMinor", 1234 + 500)
                .containsEntry("memo", null);

        String draft = draft(USAGE);
        assertThat(api.send(HttpRequest.POST(
                                        "/v1/invoices/" + draft + "/lines",
                                        Map.of("description", "Fee", "quantity", "1", "unitAmount", "1"))
                                .bearerAuth(otherKey))
                        .code())
                .isEqualTo(404);
        assertThat(patch(otherKey, draft, "{\"memo\":\"m\"}").code()).isEqualTo(404);
        assertThat(removeLine(otherKey, draft, "il_x").code()).isEqualTo(404);
        assertThat(patch(key, "inv_unknown", "{\"memo\":\"m\"}").code()).isEqualTo(404);
    }

    @Test
    void shouldVerifyAndTraceOneOffLinesFromTheirOwnQuantityAndUnitAmount() {
        String invoice = invoices.draft(org, newCustomer("cust_verify"), "USD", NOV, CREATED, List.of());
        ApiCalls.Reply added = addLine(invoice, "Setup", "2", "10.005");
        String line = lineOf(added, "one_off");
        assertThat(added.body()).containsEntry("totalMinor", 2001);
        assertThat(api.post(key, "/v1/invoices/" + invoice + "/finalize", Map.of())
                        .code())
                .isEqualTo(200);

        ApiCalls.Reply verified = api.post(key, "/v1/invoices/" + invoice + "/verify", Map.of());
        assertThat(verified.code()).isEqualTo(200);
        assertThat(verified.body()).containsEntry("verified", true);

        ApiCalls.Reply usage = api.get(key, "/v1/invoices/" + invoice + "/lines/" + line + "/usage");
        assertThat(usage.code()).isEqualTo(200);
        assertThat(usage.body())
                .containsEntry("kind", "one_off")
                .containsEntry("amountMinor", 2001)
                .containsEntry("hasMore", false);
        assertThat(list(usage.body().get("windows")))
                .as("a one-off line bills no usage window")
                .isEmpty();

        String tampered = invoices.draft(org, newCustomer("cust_tampered"), "USD", NOV, CREATED, List.of());
        String wrong = lineOf(addLine(tampered, "Setup", "2", "10.005"), "one_off");
        Jdbi.create(database.dataSource())
                .useHandle(h -> h.execute("UPDATE billing.invoice_lines SET amount_minor = 2002 WHERE id = ?", wrong));
        ApiCalls.Reply differs = api.post(key, "/v1/invoices/" + tampered + "/verify", Map.of());
        assertThat(differs.body()).containsEntry("verified", false);
        assertThat(list(differs.body().get("differences"))).isNotEmpty();
    }

    @Test
    void shouldCreateShowAndChangeTheOrganizationsAutoFinalizeDelay() {
        ApiCalls.Reply created = api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "Delays")));
        assertThat(created.body()).containsEntry("autoFinalizeDelay", "PT1H");
        String id = (String) created.body().get("id");
        assertThat(api.admin(HttpRequest.POST(
                                "/v1/organizations", Map.of("name", "At once", "autoFinalizeDelay", "PT0S")))
                        .body())
                .containsEntry("autoFinalizeDelay", "PT0S");

        assertThat(api.admin(HttpRequest.PATCH("/v1/organizations/" + id, Map.of("autoFinalizeDelay", "P2D")))
                        .body())
                .containsEntry("autoFinalizeDelay", "PT48H");
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + id)).body())
                .containsEntry("autoFinalizeDelay", "PT48H")
                .containsEntry("name", "Delays");

        for (String bad : List.of("P31D", "-PT1H", "PT0.5S", "an hour", "")) {
            assertError(
                    api.admin(HttpRequest.PATCH("/v1/organizations/" + id, Map.of("autoFinalizeDelay", bad))),
                    400,
                    "invalid_request",
                    "autoFinalizeDelay");
        }
        assertError(
                api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "Bad", "autoFinalizeDelay", "1h"))),
                400,
                "invalid_request",
                "autoFinalizeDelay");
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + id)).body())
                .containsEntry("autoFinalizeDelay", "PT48H");
    }
}
