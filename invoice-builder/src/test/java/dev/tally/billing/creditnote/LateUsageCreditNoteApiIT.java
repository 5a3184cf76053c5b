package dev.tally.billing.creditnote;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.awaitRecords;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.TestServer;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topics;
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
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Late usage as credit notes over HTTP, through the period close: customer c1 is billed {@code calls} at 0.05 USD,
 * November's window w1 (100 calls, 5.00) is invoiced, then restated. With {@code lateUsageCreditNotes} off a
 * lowering is a negative adjustment line on December's invoice, as before; on, it is a {@code usage_corrected}
 * credit note against November's invoice for exactly that amount (its {@code CREDIT_NOTE_ISSUED} event, the credit
 * applied by the next invoice, once however often the period is closed, named in the lineage, verify still agrees),
 * while a rise stays an adjustment line; a remainder beyond what the invoice can still be credited, and a void
 * invoice, stay adjustment lines. The organization setting round-trips and is checked.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LateUsageCreditNoteApiIT implements TestPropertyProvider {

    private static final String NOV = "2026-11-01T00:00:00Z";
    private static final String DEC = "2026-12-01T00:00:00Z";
    private static final String JAN = "2027-01-01T00:00:00Z";
    private static final String FEB = "2027-02-01T00:00:00Z";
    private static final Instant W1 = Instant.parse("2026-11-02T10:00:00Z");
    private static final Instant DEC_WINDOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final Instant JAN_WINDOW = Instant.parse("2027-01-05T10:00:00Z");

    @Inject
    ApiCalls api;

    @Inject
    Topics topics;

    private TestPostgres.Database database;
    private BillingFixtures fixtures;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        Map<String, String> properties = TestServer.properties(database, "late-usage-credit-notes");
        // the close alone bills here (the cycle would only wait for finality anyway)
        properties.put("tally.billing.cycle.enabled", "false");
        return properties;
    }

    @BeforeAll
    void fixtures() {
        fixtures = BillingFixtures.on(Jdbi.create(database.dataSource())
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin()));
    }

    /** An organization (its id and test-mode key) whose customer c1 is subscribed to calls at 0.05 USD. */
    private record Tenant(String org, String key) {}

    private Tenant tenant(String name, boolean lateUsageCreditNotes) {
        return tenant(name, lateUsageCreditNotes, Map.of("product", "calls", "currency", "USD", "unitAmount", "0.05"));
    }

    private Tenant tenant(String name, boolean lateUsageCreditNotes, Map<String, Object> priceBody) {
        String org = (String) api.admin(HttpRequest.POST(
                        "/v1/organizations", Map.of("name", name, "lateUsageCreditNotes", lateUsageCreditNotes)))
                .body()
                .get("id");
        String key = api.newKey(org);
        assertThat(api.post(key, "/v1/products", Map.of("featureKey", "calls")).code())
                .isEqualTo(201);
        var price = api.post(key, "/v1/prices", priceBody);
        assertThat(price.code()).as("%s", price.body()).isEqualTo(201);
        assertThat(api.post(key, "/v1/customers", Map.of("externalId", "c1")).code())
                .isEqualTo(201);
        assertThat(api.post(
                                key,
                                "/v1/subscriptions",
                                Map.of("customer", "c1", "price", price.body().get("id")))
                        .code())
                .isEqualTo(201);
        return new Tenant(org, key);
    }

    private void calls(Tenant t, Instant window, long revision, String quantity) {
        fixtures.statement(t.org(), "c1", "calls", window)
                .revision(revision)
                .quantity(quantity)
                .events(1)
                .insert();
    }

    /** Closes {@code [start, end)} and returns its only invoice. */
    private Map<String, Object> close(Tenant t, String start, String end) {
        ApiCalls.Reply close =
                api.post(t.key(), "/v1/billing-periods/close", Map.of("periodStart", start, "periodEnd", end));
        assertThat(close.code()).as("%s", close.body()).isIn(200, 201);
        List<Map<String, Object>> invoices = list(close.body().get("invoices"));
        assertThat(invoices).as("%s", close.body()).hasSize(1);
        return invoices.getFirst();
    }

    /** November invoiced (100 calls, 5.00) and paid, so that what a credit note credits goes to the balance. */
    private Map<String, Object> novemberPaid(Tenant t) {
        calls(t, W1, 0, "100");
        Map<String, Object> november = close(t, NOV, DEC);
        assertThat(november).containsEntry("totalMinor", 500);
        assertThat(api.post(t.key(), "/v1/invoices/" + november.get("id") + "/pay", Map.of("paidOutOfBand", true))
                        .code())
                .isEqualTo(200);
        return november;
    }

    /** A decimal as text without trailing zeros ({@code 100.000000000} → {@code 100}); null stays null. */
    private static String q(Object decimal) {
        return decimal == null
                ? null
                : new java.math.BigDecimal((String) decimal)
                        .stripTrailingZeros()
                        .toPlainString();
    }

    private static List<Map<String, Object>> lines(Map<String, Object> invoice) {
        return list(invoice.get("lines"));
    }

    private static String usageLineOf(Map<String, Object> invoice) {
        return (String) lines(invoice).stream()
                .filter(l -> "usage".equals(l.get("kind")))
                .findFirst()
                .orElseThrow()
                .get("id");
    }

    private List<Map<String, Object>> creditNotesOf(Tenant t, Object invoice) {
        ApiCalls.Reply notes = api.get(t.key(), "/v1/invoices/" + invoice + "/credit-notes");
        assertThat(notes.code()).as("%s", notes.body()).isEqualTo(200);
        return list(notes.body().get("data"));
    }

    private void assertVerified(Tenant t, Object invoice) {
        ApiCalls.Reply verify = api.send(
                HttpRequest.POST("/v1/invoices/" + invoice + "/verify", "").bearerAuth(t.key()));
        assertThat(verify.code()).as("%s", verify.body()).isEqualTo(200);
        assertThat(verify.body()).as("%s", verify.body()).containsEntry("verified", true);
    }

    @Test
    void shouldBillALoweringAsANegativeAdjustmentLineWhenTheSettingIsOff() {
        Tenant t = tenant("Off", false);
        Map<String, Object> november = novemberPaid(t);
        calls(t, W1, 1, "60");
        calls(t, DEC_WINDOW, 0, "100");

        Map<String, Object> december = close(t, DEC, JAN);

        assertThat(lines(december))
                .extracting(l -> l.get("kind"), l -> q(l.get("quantity")), l -> l.get("amountMinor"))
                .containsExactly(tuple("usage", "100", 500), tuple("adjustment", "-40", -200));
        assertThat(december).containsEntry("totalMinor", 300);
        assertThat(creditNotesOf(t, november.get("id"))).isEmpty();
    }

    @Test
    void shouldCreditALoweringOfAnInvoicedPeriodByACreditNoteOnceAndApplyItToTheNextInvoice() {
        Tenant t = tenant("On", true);
        Map<String, Object> november = novemberPaid(t);
        String novemberLine = usageLineOf(november);
        calls(t, W1, 1, "60");
        calls(t, DEC_WINDOW, 0, "100");

        Map<String, Object> december = close(t, DEC, JAN);

        // no negative adjustment: November's 40 calls fewer (2.00) are credited to November's invoice instead,
        // and the credit the note put on the customer's balance (November was paid) is applied by December's
        assertThat(lines(december))
                .extracting(l -> l.get("kind"), l -> l.get("amountMinor"))
                .containsExactly(tuple("usage", 500), tuple("credit_applied", -200));
        assertThat(december).containsEntry("totalMinor", 300);
        List<Map<String, Object>> notes = creditNotesOf(t, november.get("id"));
        assertThat(notes).hasSize(1);
        Map<String, Object> note = notes.getFirst();
        assertThat(note)
                .containsEntry("reason", "usage_corrected")
                .containsEntry("outcome", "credit")
                .containsEntry("amountMinor", 200)
                .containsEntry("amount", "2.00")
                .containsEntry("prePaymentAmount", "0.00")
                .containsEntry("postPaymentAmount", "2.00")
                .containsEntry("correctsLine", novemberLine)
                .containsEntry("correctedQuantity", "40");
        assertThat(list(note.get("lines")))
                .extracting(l -> l.get("line"), l -> q(l.get("quantity")), l -> l.get("amountMinor"))
                .containsExactly(tuple(novemberLine, "40", 200));
        assertThat(api.get(t.key(), "/v1/invoices/" + november.get("id")).body())
                .containsEntry("amountCreditedMinor", 200)
                .containsEntry("status", "paid");
        InvoiceEvent issued = awaitRecords(
                        topics.invoiceEvents(),
                        e -> e.getInvoiceId().equals(november.get("id"))
                                && e.getType() == InvoiceEventType.CREDIT_NOTE_ISSUED,
                        1)
                .getFirst();
        assertThat(issued.getCreditNoteId()).isEqualTo(note.get("id"));
        assertThat(issued.getCreditedMinor()).isEqualTo(200L);
        assertThat(issued.getCreditNoteReason()).isEqualTo("usage_corrected");

        // closing December again answers its invoice and issues nothing more
        assertThat(close(t, DEC, JAN)).containsEntry("id", december.get("id"));
        assertThat(creditNotesOf(t, november.get("id"))).hasSize(1);

        // the lineage of November's line shows the restatement the note billed against it
        ApiCalls.Reply usage =
                api.get(t.key(), "/v1/invoices/" + november.get("id") + "/lines/" + novemberLine + "/usage");
        assertThat(usage.code()).as("%s", usage.body()).isEqualTo(200);
        Map<String, Object> window = list(usage.body().get("windows")).getFirst();
        assertThat(list(window.get("statements")))
                .extracting(
                        s -> s.get("revision"),
                        s -> q(s.get("quantity")),
                        s -> s.get("counted"),
                        s -> s.get("creditNote"))
                .containsExactly(tuple(0, "100", false, null), tuple(1, "60", true, note.get("id")));

        // both invoices are still what their inputs say, as of each
        assertVerified(t, november.get("id"));
        assertVerified(t, december.get("id"));

        // a rise after the credit is an adjustment from what November now stands at (60 calls, 3.00)
        calls(t, W1, 2, "80");
        calls(t, JAN_WINDOW, 0, "10");
        Map<String, Object> january = close(t, JAN, FEB);
        assertThat(lines(january))
                .extracting(
                        l -> l.get("kind"),
                        l -> q(l.get("previousQuantity")),
                        l -> q(l.get("quantity")),
                        l -> l.get("amountMinor"))
                .containsExactly(tuple("usage", null, "10", 50), tuple("adjustment", "60", "20", 100));
        assertThat(creditNotesOf(t, november.get("id"))).hasSize(1);
        assertVerified(t, january.get("id"));
    }

    @Test
    void shouldCreditALoweringOfALineWithoutAUnitPriceByAmountNamingTheLine() {
        // graduated: the first 100 calls at 0.05, the rest at 0.02; November's 200 calls: 5.00 + 2.00 = 7.00
        Tenant t = tenant(
                "Tiers",
                true,
                Map.of(
                        "product",
                        "calls",
                        "model",
                        "graduated",
                        "tiers",
                        List.of(Map.of("upTo", "100", "unitAmount", "0.05"), Map.of("unitAmount", "0.02"))));
        calls(t, W1, 0, "200");
        Map<String, Object> november = close(t, NOV, DEC);
        assertThat(november).containsEntry("totalMinor", 700);
        String novemberLine = usageLineOf(november);
        // restated to 50 calls: 2.50, so 150 calls and 4.50 fewer (not 150 × an average price)
        calls(t, W1, 1, "50");
        calls(t, DEC_WINDOW, 0, "10");

        Map<String, Object> december = close(t, DEC, JAN);

        assertThat(lines(december))
                .extracting(l -> l.get("kind"), l -> l.get("amountMinor"))
                .containsExactly(tuple("usage", 50));
        Map<String, Object> note = creditNotesOf(t, november.get("id")).getFirst();
        assertThat(note)
                .containsEntry("reason", "usage_corrected")
                .containsEntry("amountMinor", 450)
                .containsEntry("correctsLine", novemberLine)
                .containsEntry("correctedQuantity", "150")
                .containsEntry("lines", List.of());
        // November was open: the note lowers what it asks for, nothing goes to the balance
        assertThat(note).containsEntry("prePaymentAmount", "4.50").containsEntry("postPaymentAmount", "0.00");
        assertThat(api.get(t.key(), "/v1/invoices/" + november.get("id")).body())
                .containsEntry("amountDueMinor", 250)
                .containsEntry("status", "finalized");
        assertVerified(t, november.get("id"));
        assertVerified(t, december.get("id"));
    }

    @Test
    void shouldStillBillARiseAsAnAdjustmentLineWhenTheSettingIsOn() {
        Tenant t = tenant("Rise", true);
        Map<String, Object> november = novemberPaid(t);
        calls(t, W1, 1, "150");
        calls(t, DEC_WINDOW, 0, "100");

        Map<String, Object> december = close(t, DEC, JAN);

        assertThat(lines(december))
                .extracting(l -> l.get("kind"), l -> q(l.get("quantity")), l -> l.get("amountMinor"))
                .containsExactly(tuple("usage", "100", 500), tuple("adjustment", "50", 250));
        assertThat(creditNotesOf(t, november.get("id"))).isEmpty();
    }

    @Test
    void shouldLeaveWhatTheInvoiceCannotTakeAsANegativeAdjustmentLine() {
        Tenant t = tenant("Capped", true);
        Map<String, Object> november = novemberPaid(t);
        // 4.50 of November's 5.00 already credited by hand: 0.50 is left to credit
        ApiCalls.Reply manual = api.post(
                t.key(),
                "/v1/invoices/" + november.get("id") + "/credit-notes",
                Map.of("reason", "product_unsatisfactory", "amount", "4.50", "outcome", "refund"));
        assertThat(manual.code()).as("%s", manual.body()).isEqualTo(201);
        calls(t, W1, 1, "60");
        calls(t, DEC_WINDOW, 0, "100");

        Map<String, Object> december = close(t, DEC, JAN);

        // the note takes the 40 calls at what is left (0.50); the remaining 1.50 stays an adjustment of 0 calls
        List<Map<String, Object>> notes = creditNotesOf(t, november.get("id"));
        assertThat(notes)
                .extracting(n -> n.get("reason"), n -> n.get("amountMinor"))
                .containsExactly(tuple("product_unsatisfactory", 450), tuple("usage_corrected", 50));
        assertThat(notes.getFirst().get("correctsLine")).isNull();
        assertThat(lines(december))
                .extracting(l -> l.get("kind"), l -> q(l.get("quantity")), l -> l.get("amountMinor"))
                .containsExactly(
                        tuple("usage", "100", 500), tuple("adjustment", "0", -150), tuple("credit_applied", "1", -50));
        assertThat(december).containsEntry("totalMinor", 300);
        assertVerified(t, december.get("id"));
        assertVerified(t, november.get("id"));
    }

    @Test
    void shouldBillALoweringOfAVoidInvoicesPeriodAsAnAdjustmentLineAsBefore() {
        Tenant t = tenant("Void", true);
        calls(t, W1, 0, "100");
        Map<String, Object> november = close(t, NOV, DEC);
        assertThat(api.post(t.key(), "/v1/invoices/" + november.get("id") + "/void", Map.of("reason", "in error"))
                        .code())
                .isEqualTo(200);
        calls(t, W1, 1, "60");
        calls(t, DEC_WINDOW, 0, "100");

        Map<String, Object> december = close(t, DEC, JAN);

        assertThat(lines(december))
                .extracting(l -> l.get("kind"), l -> l.get("amountMinor"))
                .containsExactly(tuple("usage", 500), tuple("adjustment", -200));
        assertThat(creditNotesOf(t, november.get("id"))).isEmpty();
    }

    @Test
    void shouldCreateShowChangeAndCheckTheOrganizationsLateUsageCreditNotes() {
        ApiCalls.Reply created = api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "Setting")));
        assertThat(created.body()).containsEntry("lateUsageCreditNotes", false);
        String id = (String) created.body().get("id");
        assertThat(api.admin(HttpRequest.POST(
                                "/v1/organizations", Map.of("name", "Credits", "lateUsageCreditNotes", true)))
                        .body())
                .containsEntry("lateUsageCreditNotes", true);

        assertThat(api.admin(HttpRequest.PATCH("/v1/organizations/" + id, Map.of("lateUsageCreditNotes", true)))
                        .body())
                .containsEntry("lateUsageCreditNotes", true);
        // a change of another member keeps it
        assertThat(api.admin(HttpRequest.PATCH("/v1/organizations/" + id, Map.of("graceDays", 3)))
                        .body())
                .containsEntry("lateUsageCreditNotes", true);
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + id)).body())
                .containsEntry("lateUsageCreditNotes", true)
                .containsEntry("name", "Setting");
        assertThat(api.admin(HttpRequest.PATCH("/v1/organizations/" + id, Map.of("lateUsageCreditNotes", false)))
                        .body())
                .containsEntry("lateUsageCreditNotes", false);

        for (Object bad : List.of("yes", "true", 1, List.of(true), Map.of())) {
            Map<String, Object> body = new HashMap<>();
            body.put("lateUsageCreditNotes", bad);
            assertError(
                    api.admin(HttpRequest.PATCH("/v1/organizations/" + id, body)),
                    400,
                    "invalid_request",
                    "lateUsageCreditNotes");
            body.put("name", "Bad");
            assertError(
                    api.admin(HttpRequest.POST("/v1/organizations", body)),
                    400,
                    "invalid_request",
                    "lateUsageCreditNotes");
        }
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + id)).body())
                .containsEntry("lateUsageCreditNotes", false);
    }
}
