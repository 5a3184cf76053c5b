package dev.tally.billing.invoice;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.awaitRecords;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.billing.InvoiceFixtures.Usage;
import dev.tally.billing.MutableClock;
import dev.tally.billing.PlacedClocks;
import dev.tally.billing.TestServer;
import dev.tally.billing.overdue.OverdueInvoiceWorker;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The invoice transitions over HTTP: finalize, void, mark-uncollectible and pay, each with its event on
 * invoice-events (through the outbox), 409 with the current status from a wrong one, 404 for another
 * organization's or an unknown invoice, 400 naming the field; and what the invoice JSON shows of them
 * (amountPaid/amountDue, dueAt, overdue by the billing clock).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvoiceLifecycleApiIT implements TestPropertyProvider {

    private static final UsagePeriod NOV =
            new UsagePeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final Instant ISSUED = Instant.parse("2026-12-01T00:00:02Z");
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final MutableClock CLOCK = PlacedClocks.place("invoice-lifecycle", new MutableClock(NOW));
    private static final List<Usage> LINES = List.of(new Usage("price_calls", "ai_call", "200", "0.05", 1234));

    @Inject
    ApiCalls api;

    @Inject
    Topics topics;

    @Inject
    OverdueInvoiceWorker overdueWorker;

    private TestPostgres.Database database;
    private InvoiceFixtures invoices;
    private String org;
    private String key;
    private String otherKey;
    private String customer;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        Map<String, String> properties = TestServer.properties(database, "lifecycle");
        properties.put(PlacedClocks.PROPERTY, "invoice-lifecycle");
        // the test runs the overdue worker's rounds itself
        properties.put("tally.billing.overdue.enabled", "false");
        return properties;
    }

    @BeforeAll
    void createAnOrganization() {
        org = api.newOrganization("Acme");
        key = api.newKey(org);
        otherKey = api.newKey(api.newOrganization("Other"));
        customer = (String) api.post(key, "/v1/customers", Map.of("externalId", "cust_1"))
                .body()
                .get("id");
        invoices = new InvoiceFixtures(Jdbi.create(database.dataSource()));
        invoices.price(org, "price_calls", "ai_call", "USD", "0.05");
    }

    @BeforeEach
    void placeTheClock() {
        CLOCK.set(NOW);
    }

    private String open() {
        return invoices.issue(org, customer, "USD", NOV, ISSUED, LINES);
    }

    private InvoiceEvent event(String invoice, InvoiceEventType type) {
        return awaitRecords(topics.invoiceEvents(), e -> e.getInvoiceId().equals(invoice) && e.getType() == type, 1)
                .getFirst();
    }

    private static void assertConflict(ApiCalls.Reply reply, String status) {
        assertError(reply, 409, "invoice_state_conflict", null);
        assertThat(error(reply)).containsEntry("status", status);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(ApiCalls.Reply reply) {
        return (Map<String, Object>) reply.body().get("error");
    }

    @Test
    void shouldVoidAnOpenInvoiceWithItsReasonAndEnqueueVoided() {
        String invoice = open();

        ApiCalls.Reply voided = api.post(key, "/v1/invoices/" + invoice + "/void", Map.of("reason", "issued in error"));

        assertThat(voided.code()).isEqualTo(200);
        assertThat(voided.body())
                .containsEntry("status", "void")
                .containsEntry("voidReason", "issued in error")
                .containsEntry("voidedAt", NOW.toString())
                .containsEntry("amountDue", "0.00")
                .containsEntry("amountDueMinor", 0)
                .containsEntry("overdue", false);
        InvoiceEvent event = event(invoice, InvoiceEventType.VOIDED);
        assertThat(event.getReason()).isEqualTo("issued in error");
        assertThat(event.getOccurredAt()).isEqualTo(NOW);
        assertThat(event.getTotalMinor()).isEqualTo(1234);
        assertThat(api.get(key, "/v1/invoices/" + invoice).body()).containsEntry("status", "void");
    }

    @Test
    void shouldAnswer409WithTheCurrentStatusForEveryTransitionFromAWrongOne() {
        String paid = open();
        assertThat(api.post(key, "/v1/invoices/" + paid + "/pay", Map.of("paidOutOfBand", true))
                        .code())
                .isEqualTo(200);
        String voided = open();
        assertThat(api.post(key, "/v1/invoices/" + voided + "/void", Map.of("reason", "duplicate"))
                        .code())
                .isEqualTo(200);

        assertConflict(api.post(key, "/v1/invoices/" + paid + "/void", Map.of("reason", "late")), "paid");
        assertConflict(api.post(key, "/v1/invoices/" + paid + "/mark-uncollectible", Map.of("reason", "r")), "paid");
        assertConflict(api.post(key, "/v1/invoices/" + paid + "/pay", Map.of("paidOutOfBand", true)), "paid");
        assertConflict(api.post(key, "/v1/invoices/" + paid + "/finalize", Map.of()), "paid");
        assertConflict(api.post(key, "/v1/invoices/" + voided + "/void", Map.of("reason", "again")), "void");
        assertConflict(api.post(key, "/v1/invoices/" + voided + "/mark-uncollectible", Map.of("reason", "r")), "void");
        assertConflict(api.post(key, "/v1/invoices/" + voided + "/pay", Map.of("paidOutOfBand", true)), "void");
        assertConflict(api.post(key, "/v1/invoices/" + open() + "/finalize", Map.of()), "finalized");
        assertThat(api.get(key, "/v1/invoices/" + voided).body()).containsEntry("status", "void");
    }

    @Test
    void shouldAnswer404ForAnUnknownInvoiceOrAnotherOrganizations() {
        String invoice = open();

        for (String path : List.of("/void", "/mark-uncollectible")) {
            assertError(api.post(key, "/v1/invoices/inv_nope" + path, Map.of("reason", "r")), 404, "not_found", null);
            assertError(
                    api.post(otherKey, "/v1/invoices/" + invoice + path, Map.of("reason", "r")),
                    404,
                    "not_found",
                    null);
        }
        assertError(
                api.post(otherKey, "/v1/invoices/" + invoice + "/pay", Map.of("paidOutOfBand", true)),
                404,
                "not_found",
                null);
        assertError(api.post(otherKey, "/v1/invoices/" + invoice + "/finalize", Map.of()), 404, "not_found", null);
        assertThat(api.get(key, "/v1/invoices/" + invoice).body()).containsEntry("status", "finalized");
    }

    @Test
    void shouldAnswer400NamingTheReasonOrPaidOutOfBand() {
        String invoice = open();

        for (String path : List.of("/void", "/mark-uncollectible")) {
            assertError(api.post(key, "/v1/invoices/" + invoice + path, Map.of()), 400, "invalid_request", "reason");
            assertError(
                    api.post(key, "/v1/invoices/" + invoice + path, Map.of("reason", "  ")),
                    400,
                    "invalid_request",
                    "reason");
            assertError(
                    api.post(key, "/v1/invoices/" + invoice + path, Map.of("reason", "x".repeat(501))),
                    400,
                    "invalid_request",
                    "reason");
            assertError(
                    api.post(key, "/v1/invoices/" + invoice + path, Map.of("reason", "a\u0000b")),
                    400,
                    "invalid_request",
                    "reason");
        }
        assertError(
                api.post(key, "/v1/invoices/" + invoice + "/pay", Map.of("paidOutOfBand", false)),
                400,
                "invalid_request",
                "paidOutOfBand");
        assertError(
                api.post(key, "/v1/invoices/" + invoice + "/pay", Map.of()), 400, "invalid_request", "paidOutOfBand");
        assertThat(error(api.post(key, "/v1/invoices/" + invoice + "/void", Map.of())))
                .as("status is only on state conflicts")
                .doesNotContainKey("status");
        assertThat(api.get(key, "/v1/invoices/" + invoice).body()).containsEntry("status", "finalized");
    }

    @Test
    void shouldWriteOffAnOpenInvoiceAndStillTakeALatePayment() {
        String invoice = open();

        ApiCalls.Reply written = api.post(
                key, "/v1/invoices/" + invoice + "/mark-uncollectible", Map.of("reason", "customer insolvent"));
        assertThat(written.code()).isEqualTo(200);
        assertThat(written.body())
                .containsEntry("status", "uncollectible")
                .containsEntry("uncollectibleReason", "customer insolvent")
                .containsEntry("uncollectibleAt", NOW.toString())
                .containsEntry("amountDue", "0.00");
        assertThat(event(invoice, InvoiceEventType.UNCOLLECTIBLE).getReason()).isEqualTo("customer insolvent");

        CLOCK.set(NOW.plus(Duration.ofDays(2)));
        ApiCalls.Reply paid = api.post(key, "/v1/invoices/" + invoice + "/pay", Map.of("paidOutOfBand", true));
        assertThat(paid.code()).isEqualTo(200);
        assertThat(paid.body())
                .containsEntry("status", "paid")
                .containsEntry("paidOutOfBand", true)
                .containsEntry("paidAt", NOW.plus(Duration.ofDays(2)).toString())
                .containsEntry("uncollectibleReason", "customer insolvent")
                .containsEntry("amountPaid", "12.34")
                .containsEntry("amountDue", "0.00");
        InvoiceEvent event = event(invoice, InvoiceEventType.PAID);
        assertThat(event.getPaidOutOfBand()).isTrue();
    }

    @Test
    void shouldMarkAnOpenInvoicePaidOutOfBandAndRecordWhoDidIt() {
        String invoice = open();

        ApiCalls.Reply paid = api.post(key, "/v1/invoices/" + invoice + "/pay", Map.of("paidOutOfBand", true));

        assertThat(paid.code()).isEqualTo(200);
        assertThat(paid.body())
                .containsEntry("status", "paid")
                .containsEntry("paidOutOfBand", true)
                .containsEntry("amountPaidMinor", 1234)
                .containsEntry("amountDueMinor", 0);
        String by = Jdbi.create(database.dataSource())
                .withHandle(h -> h.createQuery("SELECT paid_out_of_band_by FROM billing.invoices WHERE id = :id")
                        .bind("id", invoice)
                        .mapTo(String.class)
                        .one());
        assertThat(by).isNotBlank();
        assertThat(event(invoice, InvoiceEventType.PAID).getPaidOutOfBand()).isTrue();
    }

    @Test
    void shouldFinalizeADraftWithANumberItsTotalAndADueDate() {
        String draft = invoices.draft(org, customer, "USD", NOV, ISSUED, LINES);
        assertThat(api.get(key, "/v1/invoices/" + draft).body())
                .containsEntry("status", "draft")
                .containsEntry("dueAt", null)
                .containsEntry("number", null);

        ApiCalls.Reply finalized = api.post(key, "/v1/invoices/" + draft + "/finalize", Map.of());

        assertThat(finalized.code()).isEqualTo(200);
        assertThat(finalized.body())
                .containsEntry("status", "finalized")
                .containsEntry("finalizedAt", NOW.toString())
                .containsEntry("dueAt", NOW.plus(Duration.ofDays(30)).toString())
                .containsEntry("totalMinor", 1234)
                .containsEntry("amountDue", "12.34");
        // numbered at finalization, in the test mode's own sequence (InvoiceNumber)
        assertThat((String) finalized.body().get("number")).matches("[A-Z0-9]{3,12}-TEST-2026-\\d{6}");
        InvoiceEvent event = event(draft, InvoiceEventType.FINALIZED);
        assertThat(event.getInvoiceNumber()).isEqualTo(finalized.body().get("number"));
        assertThat(event.getTotalMinor()).isEqualTo(1234);
        assertThat(event.getDueAt()).as("the due date the database set").isEqualTo(NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void shouldRefuseToVoidOrPayADraft() {
        String draft = invoices.draft(org, customer, "USD", NOV, ISSUED, LINES);

        assertConflict(api.post(key, "/v1/invoices/" + draft + "/void", Map.of("reason", "r")), "draft");
        assertConflict(api.post(key, "/v1/invoices/" + draft + "/mark-uncollectible", Map.of("reason", "r")), "draft");
        assertConflict(api.post(key, "/v1/invoices/" + draft + "/pay", Map.of("paidOutOfBand", true)), "draft");
    }

    @Test
    void shouldShowWhatWasPaidAndWhatIsDueInOneAndInTheList() {
        String invoice = open();
        invoices.pay(invoice, "tx-part-" + invoice, "5.0000000");

        assertThat(api.get(key, "/v1/invoices/" + invoice).body())
                .containsEntry("status", "finalized")
                .containsEntry("amountPaid", "5.00")
                .containsEntry("amountPaidMinor", 500)
                .containsEntry("amountDue", "7.34")
                .containsEntry("amountDueMinor", 734);
        Map<String, Object> listed = list(
                        api.get(key, "/v1/invoices?limit=100").body().get("data"))
                .stream()
                .filter(i -> i.get("id").equals(invoice))
                .findFirst()
                .orElseThrow();
        assertThat(listed).containsEntry("amountPaid", "5.00").containsEntry("amountDue", "7.34");
    }

    @Test
    void shouldShowAnOpenInvoiceOverdueOnlyOncePastItsDueDate() {
        String invoice = open();
        Instant due = ISSUED.plus(Duration.ofDays(30));
        assertThat(api.get(key, "/v1/invoices/" + invoice).body())
                .containsEntry("dueAt", due.toString())
                .containsEntry("overdue", false);

        CLOCK.set(due);
        assertThat(api.get(key, "/v1/invoices/" + invoice).body()).containsEntry("overdue", false);
        CLOCK.set(due.plusSeconds(1));
        assertThat(api.get(key, "/v1/invoices/" + invoice).body()).containsEntry("overdue", true);
        api.post(key, "/v1/invoices/" + invoice + "/pay", Map.of("paidOutOfBand", true));
        assertThat(api.get(key, "/v1/invoices/" + invoice).body()).containsEntry("overdue", false);
    }

    /** The types of the events enqueued in the outbox for {@code invoice}, in order. */
    private List<InvoiceEventType> outboxEvents(String invoice) {
        return Jdbi.create(database.dataSource())
                .withHandle(h -> h.createQuery("SELECT payload FROM billing.outbox WHERE topic = :topic"
                                + " AND record_key = :invoice ORDER BY id")
                        .bind("topic", topics.invoiceEvents().name())
                        .bind("invoice", invoice)
                        .mapTo(byte[].class)
                        .list())
                .stream()
                .map(payload -> topics.invoiceEvents()
                        .valueSerde()
                        .deserializer()
                        .deserialize(topics.invoiceEvents().name(), payload)
                        .getType())
                .toList();
    }

    @Test
    void shouldEnqueueOverdueOnceForAnOpenInvoicePastItsDueDate() {
        String unpaid = open();
        String paid = open();
        api.post(key, "/v1/invoices/" + paid + "/pay", Map.of("paidOutOfBand", true));
        Instant due = ISSUED.plus(Duration.ofDays(30));

        CLOCK.set(due);
        overdueWorker.drain();
        assertThat(outboxEvents(unpaid)).as("due, not past due").isEmpty();

        CLOCK.set(due.plusSeconds(1));
        assertThat(overdueWorker.drain()).isPositive();
        overdueWorker.drain();
        CLOCK.set(due.plus(Duration.ofDays(3)));
        overdueWorker.drain();

        // the fixture writes the invoices as the close would, without their FINALIZED events
        assertThat(outboxEvents(unpaid)).containsExactly(InvoiceEventType.OVERDUE);
        assertThat(outboxEvents(paid)).containsExactly(InvoiceEventType.PAID);
        InvoiceEvent event = event(unpaid, InvoiceEventType.OVERDUE);
        assertThat(event.getDueAt()).isEqualTo(due);
        assertThat(event.getOccurredAt()).isEqualTo(due.plusSeconds(1));
    }

    @Test
    void shouldSetTheDueDateFromTheOrganizationsTermsOrTheCustomersOwn() {
        String acme = (String)
                api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "Terms Co", "paymentTerms", "net_15")))
                        .body()
                        .get("id");
        String acmeKey = api.newKey(acme);
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + acme)).body())
                .containsEntry("paymentTerms", "net_15");
        String onOrganizations = (String) api.post(acmeKey, "/v1/customers", Map.of("externalId", "org_terms"))
                .body()
                .get("id");
        ApiCalls.Reply own =
                api.post(acmeKey, "/v1/customers", Map.of("externalId", "own_terms", "paymentTerms", "NET_0"));
        assertThat(own.body()).containsEntry("paymentTerms", "net_0");
        assertThat(api.get(acmeKey, "/v1/customers/" + onOrganizations).body()).containsEntry("paymentTerms", null);
        invoices.price(acme, "price_terms", "ai_call", "USD", "0.05");
        List<Usage> lines = List.of(new Usage("price_terms", "ai_call", "200", "0.05", 1000));

        String a = invoices.issue(acme, onOrganizations, "USD", NOV, ISSUED, lines);
        String b = invoices.issue(acme, (String) own.body().get("id"), "USD", NOV, ISSUED, lines);
        api.send(HttpRequest.PATCH("/v1/customers/" + own.body().get("id"), Map.of("paymentTerms", "net_90"))
                .bearerAuth(acmeKey));
        String c = invoices.issue(acme, (String) own.body().get("id"), "USD", NOV, ISSUED, lines);
        api.admin(HttpRequest.PATCH("/v1/organizations/" + acme, Map.of("paymentTerms", "net_60")));
        String d = invoices.issue(acme, onOrganizations, "USD", NOV, ISSUED, lines);

        assertThat(api.get(acmeKey, "/v1/invoices/" + a).body())
                .containsEntry("dueAt", ISSUED.plus(Duration.ofDays(15)).toString());
        assertThat(api.get(acmeKey, "/v1/invoices/" + b).body()).containsEntry("dueAt", ISSUED.toString());
        assertThat(api.get(acmeKey, "/v1/invoices/" + c).body())
                .containsEntry("dueAt", ISSUED.plus(Duration.ofDays(90)).toString());
        assertThat(api.get(acmeKey, "/v1/invoices/" + d).body())
                .containsEntry("dueAt", ISSUED.plus(Duration.ofDays(60)).toString());
        assertThat(api.get(acmeKey, "/v1/invoices/" + b).body())
                .as("an invoice already issued keeps its due date")
                .containsEntry("dueAt", ISSUED.toString());
    }

    @Test
    void shouldRefuseTermsThatAreNotNamedAndClearACustomersOwn() {
        String customerId = (String) api.post(key, "/v1/customers", Map.of("externalId", "bad_terms"))
                .body()
                .get("id");

        assertError(
                api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("paymentTerms", "net_7"))),
                400,
                "invalid_request",
                "paymentTerms");
        assertError(
                api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "x", "paymentTerms", "30"))),
                400,
                "invalid_request",
                "paymentTerms");
        assertError(
                api.post(key, "/v1/customers", Map.of("externalId", "bad_terms_2", "paymentTerms", "net30")),
                400,
                "invalid_request",
                "paymentTerms");
        assertError(
                api.send(HttpRequest.PATCH("/v1/customers/" + customerId, Map.of("paymentTerms", "net_31"))
                        .bearerAuth(key)),
                400,
                "invalid_request",
                "paymentTerms");
        assertThat(api.send(HttpRequest.PATCH("/v1/customers/" + customerId, Map.of("paymentTerms", "net_45"))
                                .bearerAuth(key))
                        .body())
                .containsEntry("paymentTerms", "net_45");
        java.util.HashMap<String, Object> clear = new java.util.HashMap<>();
        clear.put("paymentTerms", null);
        assertThat(api.send(HttpRequest.PATCH("/v1/customers/" + customerId, clear)
                                .bearerAuth(key))
                        .body())
                .containsEntry("paymentTerms", null);
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + org)).body())
                .containsEntry("paymentTerms", "net_30");
    }
}
