package dev.tally.billing.creditnote;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.awaitRecords;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.billing.InvoiceFixtures.Usage;
import dev.tally.billing.TestServer;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.TestPostgres;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Credit notes over HTTP: whole, by line and quantity, by amount; their numbers; what the invoice then shows
 * (amountCredited, amountDue, paid when fully credited); their events on invoice-events (through the outbox);
 * 409 from a draft or void invoice and when nothing is left to credit; 400 naming the member for every bad input;
 * the reads (one, of an invoice, the list with its cursor) and 404 for another organization's.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreditNoteApiIT implements TestPropertyProvider {

    private static final UsagePeriod NOV =
            new UsagePeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final Instant ISSUED = Instant.parse("2026-12-01T00:00:02Z");

    @Inject
    ApiCalls api;

    @Inject
    Topics topics;

    private TestPostgres.Database database;
    private InvoiceFixtures invoices;

    /** An organization (test-mode key) with a customer and two per-unit prices. */
    private record Tenant(String org, String key, String customer, String calls, String storage) {}

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        return TestServer.properties(database, "credit-notes");
    }

    @BeforeAll
    void fixtures() {
        invoices = new InvoiceFixtures(Jdbi.create(database.dataSource()));
    }

    private Tenant tenant(String name) {
        String org = api.newOrganization(name);
        String key = api.newKey(org);
        String customer = (String) api.post(key, "/v1/customers", Map.of("externalId", "cust_1"))
                .body()
                .get("id");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String calls = "price_calls_" + suffix;
        String storage = "price_storage_" + suffix;
        invoices.price(org, calls, "ai_call", "USD", "0.05");
        invoices.price(org, storage, "storage_gb", "USD", "0.125");
        return new Tenant(org, key, customer, calls, storage);
    }

    /** An open invoice of 12.34 USD: 200 calls at 0.05 (10.00) and 18.72 GB at 0.125 (2.34). */
    private String open(Tenant t) {
        return invoices.issue(
                t.org(),
                t.customer(),
                "USD",
                NOV,
                ISSUED,
                List.of(
                        new Usage(t.calls(), "ai_call", "200", "0.05", 1000),
                        new Usage(t.storage(), "storage_gb", "18.72", "0.125", 234)));
    }

    private String paid(Tenant t) {
        String invoice = open(t);
        assertThat(api.post(t.key(), "/v1/invoices/" + invoice + "/pay", Map.of("paidOutOfBand", true))
                        .code())
                .isEqualTo(200);
        return invoice;
    }

    private static String lineOf(ApiCalls api, Tenant t, String invoice, int index) {
        return (String) list(api.get(t.key(), "/v1/invoices/" + invoice).body().get("lines"))
                .get(index)
                .get("id");
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    private List<InvoiceEvent> events(String invoice, InvoiceEventType type, int count) {
        return awaitRecords(
                topics.invoiceEvents(), e -> e.getInvoiceId().equals(invoice) && e.getType() == type, count);
    }

    private static String year(Object issuedAt) {
        return String.valueOf(
                Instant.parse((String) issuedAt).atOffset(ZoneOffset.UTC).getYear());
    }

    @Test
    void shouldCreditAWholeOpenInvoiceWhichThenHasNothingDueAndIsPaid() {
        Tenant t = tenant("Acme");
        String invoice = open(t);

        ApiCalls.Reply issued = api.post(
                t.key(),
                "/v1/invoices/" + invoice + "/credit-notes",
                body("reason", "duplicate", "memo", "billed twice"));

        assertThat(issued.code()).as("%s", issued.body()).isEqualTo(201);
        assertThat(issued.body())
                .containsEntry("number", "ACME-TEST-CN-" + year(issued.body().get("issuedAt")) + "-000001")
                .containsEntry("invoice", invoice)
                .containsEntry("customer", t.customer())
                .containsEntry("customerExternalId", "cust_1")
                .containsEntry("reason", "duplicate")
                .containsEntry("outcome", "credit")
                .containsEntry("memo", "billed twice")
                .containsEntry("amountMinor", 1234)
                .containsEntry("amount", "12.34")
                .containsEntry("prePaymentAmount", "12.34")
                .containsEntry("postPaymentAmount", "0.00")
                .containsEntry("refundAmount", "0.00")
                .containsEntry("currency", "USD");
        assertThat(list(issued.body().get("lines"))).isEmpty();
        assertThat(api.get(t.key(), "/v1/invoices/" + invoice).body())
                .containsEntry("amountCredited", "12.34")
                .containsEntry("amountCreditedMinor", 1234)
                .containsEntry("amountDue", "0.00")
                .containsEntry("status", "paid");

        InvoiceEvent event =
                events(invoice, InvoiceEventType.CREDIT_NOTE_ISSUED, 1).getFirst();
        assertThat(event.getCreditNoteId()).isEqualTo(issued.body().get("id"));
        assertThat(event.getCreditNoteNumber()).isEqualTo(issued.body().get("number"));
        assertThat(event.getCreditedMinor()).isEqualTo(1234L);
        assertThat(event.getCreditNoteReason()).isEqualTo("duplicate");
        assertThat(event.getCreditNoteOutcome()).isEqualTo("credit");
        assertThat(event.getRefundMinor()).isEqualTo(0L);
        assertThat(events(invoice, InvoiceEventType.PAID, 1)).hasSize(1);

        assertError(
                api.post(t.key(), "/v1/invoices/" + invoice + "/credit-notes", body("reason", "duplicate")),
                409,
                "invoice_fully_credited",
                null);
    }

    @Test
    void shouldCreditALineByQuantityAtItsUnitPriceAndNeverBeyondTheLine() {
        Tenant t = tenant("Lines Inc");
        String invoice = open(t);
        String calls = lineOf(api, t, invoice, 0);
        String storage = lineOf(api, t, invoice, 1);

        ApiCalls.Reply first = api.post(
                t.key(),
                "/v1/invoices/" + invoice + "/credit-notes",
                body(
                        "reason",
                        "product_unsatisfactory",
                        "lines",
                        List.of(Map.of("line", calls, "quantity", "50"), Map.of("line", storage, "quantity", "0.1"))));

        assertThat(first.code()).as("%s", first.body()).isEqualTo(201);
        // 50 x 0.05 = 2.50; 0.1 x 0.125 = 0.0125, rounded half-even to 0.01
        assertThat(first.body())
                .containsEntry("amount", "2.51")
                .containsEntry("number", "LINESINC-TEST-CN-" + year(first.body().get("issuedAt")) + "-000001");
        assertThat(list(first.body().get("lines")))
                .containsExactly(
                        Map.of("line", calls, "quantity", "50", "amountMinor", 250, "amount", "2.50"),
                        Map.of("line", storage, "quantity", "0.1", "amountMinor", 1, "amount", "0.01"));
        assertThat(api.get(t.key(), "/v1/invoices/" + invoice).body())
                .containsEntry("status", "finalized")
                .containsEntry("amountCredited", "2.51")
                .containsEntry("amountDue", "9.83");

        // 150 calls are left to credit: 151 is too many, on that line
        assertError(
                api.post(
                        t.key(),
                        "/v1/invoices/" + invoice + "/credit-notes",
                        body("reason", "order_change", "lines", List.of(Map.of("line", calls, "quantity", "151")))),
                400,
                "invalid_request",
                "lines[0].quantity");
        // all that is left of the storage line: its amount left (2.33), whatever rounding would say
        ApiCalls.Reply rest = api.post(
                t.key(),
                "/v1/invoices/" + invoice + "/credit-notes",
                body("reason", "order_change", "lines", List.of(Map.of("line", storage, "quantity", "18.62"))));
        assertThat(rest.code()).as("%s", rest.body()).isEqualTo(201);
        assertThat(rest.body()).containsEntry("amount", "2.33");
        assertThat((String) rest.body().get("number")).endsWith("-000002");
        assertError(
                api.post(
                        t.key(),
                        "/v1/invoices/" + invoice + "/credit-notes",
                        body("reason", "order_change", "lines", List.of(Map.of("line", storage, "quantity", "0.01")))),
                400,
                "invalid_request",
                "lines[0].quantity");
        assertThat(api.get(t.key(), "/v1/invoices/" + invoice).body())
                .containsEntry("amountCredited", "4.84")
                .containsEntry("amountDue", "7.50");
    }

    @Test
    void shouldRefundAPaidInvoiceByAmountWithARefundRequestOnInvoiceEvents() {
        Tenant t = tenant("Refunds");
        String invoice = paid(t);

        ApiCalls.Reply refund = api.post(
                t.key(),
                "/v1/invoices/" + invoice + "/credit-notes",
                body("reason", "fraudulent", "outcome", "refund", "amount", "4.00"));

        assertThat(refund.code()).as("%s", refund.body()).isEqualTo(201);
        assertThat(refund.body())
                .containsEntry("outcome", "refund")
                .containsEntry("amount", "4.00")
                .containsEntry("prePaymentAmount", "0.00")
                .containsEntry("postPaymentAmount", "4.00")
                .containsEntry("refundAmount", "4.00");
        InvoiceEvent request =
                events(invoice, InvoiceEventType.REFUND_REQUESTED, 1).getFirst();
        assertThat(request.getRefundMinor()).isEqualTo(400L);
        assertThat(request.getCreditNoteId()).isEqualTo(refund.body().get("id"));
        assertThat(request.getEventId())
                .isEqualTo("credit_note|" + refund.body().get("id") + "|refund_requested");
        assertThat(api.get(t.key(), "/v1/invoices/" + invoice).body())
                .containsEntry("status", "paid")
                .containsEntry("amountCredited", "4.00")
                .containsEntry("amountDue", "0.00");

        // 8.34 is left to credit
        assertError(
                api.post(
                        t.key(),
                        "/v1/invoices/" + invoice + "/credit-notes",
                        body("reason", "fraudulent", "amount", "8.35")),
                400,
                "invalid_request",
                "amount");
        ApiCalls.Reply rest =
                api.post(t.key(), "/v1/invoices/" + invoice + "/credit-notes", body("reason", "duplicate"));
        assertThat(rest.body()).containsEntry("amount", "8.34").containsEntry("postPaymentAmount", "8.34");
    }

    @Test
    void shouldSplitACreditOfAPartlyPaidInvoiceBetweenWhatIsDueAndWhatWasPaid() {
        Tenant t = tenant("Split");
        String invoice = open(t);
        invoices.pay(invoice, "tx-" + invoice, "10.0000000");

        ApiCalls.Reply note = api.post(
                t.key(), "/v1/invoices/" + invoice + "/credit-notes", body("reason", "order_change", "amount", "3.00"));

        // 2.34 was still due: that much comes off it, the other 0.66 of what was paid goes to the balance
        assertThat(note.body())
                .containsEntry("prePaymentAmount", "2.34")
                .containsEntry("postPaymentAmount", "0.66")
                .containsEntry("refundAmount", "0.00");
        assertThat(api.get(t.key(), "/v1/invoices/" + invoice).body())
                .containsEntry("status", "paid")
                .containsEntry("amountPaid", "10.00")
                .containsEntry("amountDue", "0.00");
    }

    @Test
    void shouldRefuseACreditNoteOnADraftOrVoidInvoiceWithItsStatus() {
        Tenant t = tenant("States");
        String draft = invoices.draft(
                t.org(), t.customer(), "USD", NOV, ISSUED, List.of(new Usage(t.calls(), "ai_call", "1", "0.05", 5)));
        String voided = open(t);
        assertThat(api.post(t.key(), "/v1/invoices/" + voided + "/void", Map.of("reason", "wrong"))
                        .code())
                .isEqualTo(200);

        for (Map.Entry<String, String> invoice :
                Map.of(draft, "draft", voided, "void").entrySet()) {
            ApiCalls.Reply reply = api.post(
                    t.key(), "/v1/invoices/" + invoice.getKey() + "/credit-notes", body("reason", "duplicate"));
            assertError(reply, 409, "invoice_state_conflict", null);
            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) reply.body().get("error");
            assertThat(error).containsEntry("status", invoice.getValue());
        }
    }

    @Test
    void shouldAnswer400NamingTheMemberForEveryBadInput() {
        Tenant t = tenant("Bad Input");
        String invoice = open(t);
        String other = open(t);
        String line = lineOf(api, t, invoice, 0);
        String lineOfOther = lineOf(api, t, other, 0);
        String path = "/v1/invoices/" + invoice + "/credit-notes";

        assertError(api.post(t.key(), path, body()), 400, "invalid_request", "reason");
        assertError(api.post(t.key(), path, body("reason", "because")), 400, "invalid_request", "reason");
        assertError(
                api.post(t.key(), path, body("reason", "duplicate", "outcome", "cash")),
                400,
                "invalid_request",
                "outcome");
        assertError(
                api.post(
                        t.key(),
                        path,
                        body(
                                "reason",
                                "duplicate",
                                "amount",
                                "1.00",
                                "lines",
                                List.of(Map.of("line", line, "quantity", "1")))),
                400,
                "invalid_request",
                "amount");
        assertError(
                api.post(t.key(), path, body("reason", "duplicate", "amount", "-1.00")),
                400,
                "invalid_request",
                "amount");
        assertError(
                api.post(t.key(), path, body("reason", "duplicate", "amount", "0")), 400, "invalid_request", "amount");
        assertError(
                api.post(t.key(), path, body("reason", "duplicate", "amount", "1.005")),
                400,
                "invalid_request",
                "amount");
        assertError(
                api.post(t.key(), path, body("reason", "duplicate", "amount", "12.35")),
                400,
                "invalid_request",
                "amount");
        assertError(
                api.post(
                        t.key(),
                        path,
                        body("reason", "duplicate", "lines", List.of(Map.of("line", line, "quantity", "-1")))),
                400,
                "invalid_request",
                "lines[0].quantity");
        assertError(
                api.post(
                        t.key(),
                        path,
                        body("reason", "duplicate", "lines", List.of(Map.of("line", line, "quantity", "0")))),
                400,
                "invalid_request",
                "lines[0].quantity");
        assertError(
                api.post(
                        t.key(),
                        path,
                        body("reason", "duplicate", "lines", List.of(Map.of("line", line, "quantity", "201")))),
                400,
                "invalid_request",
                "lines[0].quantity");
        assertError(
                api.post(
                        t.key(),
                        path,
                        body(
                                "reason",
                                "duplicate",
                                "lines",
                                List.of(
                                        Map.of("line", line, "quantity", "1"),
                                        Map.of("line", lineOfOther, "quantity", "1")))),
                400,
                "invalid_request",
                "lines[1].line");
        assertError(
                api.post(t.key(), path, body("reason", "duplicate", "lines", List.of())),
                400,
                "invalid_request",
                "lines");
        assertError(
                api.post(t.key(), path, body("reason", "duplicate", "memo", "x".repeat(501))),
                400,
                "invalid_request",
                "memo");
        assertError(
                api.post(t.key(), path, body("reason", "duplicate", "amont", "1.00")), 400, "unknown_field", "amont");

        // nothing was issued by any of them
        assertThat(list(api.get(t.key(), path).body().get("data"))).isEmpty();
    }

    @Test
    void shouldReadCreditNotesOneByOnePerInvoiceAndInPagesButNotAnotherOrganizations() {
        Tenant t = tenant("Reader");
        String invoice = open(t);
        String first = (String) api.post(
                        t.key(),
                        "/v1/invoices/" + invoice + "/credit-notes",
                        body("reason", "duplicate", "amount", "1.00"))
                .body()
                .get("id");
        String second = (String) api.post(
                        t.key(),
                        "/v1/invoices/" + invoice + "/credit-notes",
                        body("reason", "duplicate", "amount", "2.00"))
                .body()
                .get("id");
        String third = (String) api.post(
                        t.key(),
                        "/v1/invoices/" + open(t) + "/credit-notes",
                        body("reason", "order_change", "amount", "3.00"))
                .body()
                .get("id");

        assertThat(api.get(t.key(), "/v1/credit-notes/" + first).body()).containsEntry("amount", "1.00");
        assertThat(list(api.get(t.key(), "/v1/invoices/" + invoice + "/credit-notes")
                        .body()
                        .get("data")))
                .extracting(n -> n.get("id"))
                .containsExactly(first, second);

        ApiCalls.Reply page = api.get(t.key(), "/v1/credit-notes?limit=2");
        assertThat(list(page.body().get("data"))).extracting(n -> n.get("id")).containsExactly(third, second);
        assertThat(page.body()).containsEntry("hasMore", true);
        ApiCalls.Reply next = api.get(t.key(), "/v1/credit-notes?limit=2&startingAfter=" + second);
        assertThat(list(next.body().get("data"))).extracting(n -> n.get("id")).containsExactly(first);
        assertThat(next.body()).containsEntry("hasMore", false);
        assertThat(list(api.get(t.key(), "/v1/credit-notes?invoice=" + invoice)
                        .body()
                        .get("data")))
                .hasSize(2);
        assertError(
                api.get(t.key(), "/v1/credit-notes?startingAfter=cn_nope"), 400, "invalid_request", "startingAfter");

        Tenant other = tenant("Other");
        assertError(api.get(other.key(), "/v1/credit-notes/" + first), 404, "not_found", null);
        assertError(api.get(other.key(), "/v1/invoices/" + invoice + "/credit-notes"), 404, "not_found", null);
        assertError(
                api.post(other.key(), "/v1/invoices/" + invoice + "/credit-notes", body("reason", "duplicate")),
                404,
                "not_found",
                null);
        assertThat(list(api.get(other.key(), "/v1/credit-notes").body().get("data")))
                .isEmpty();
    }
}
