package dev.tally.billing.account;

import static dev.tally.billing.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.billing.InvoiceFixtures.Usage;
import dev.tally.billing.MutableClock;
import dev.tally.billing.PlacedClocks;
import dev.tally.billing.TestServer;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.billing.payment.PaymentRecorder;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.avro.PaymentEvent;
import dev.tally.schemas.avro.PaymentEventType;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A customer's billing state over HTTP and on invoice-events, by the billing clock: active until an open
 * invoice is past due, overdue, suspended once past due by more than the organization's grace days (5 here),
 * and active again as soon as its last invoice past due is paid, voided or written off. Every invoice below is
 * issued on 11-01 under net_30:
 *
 * <pre>
 *   issued 11-01          due 12-01            due + 5 grace 12-06
 *   ───┼──────────────────────┼──────────────────────┼────────────────▶
 *      │      active          │       overdue        │   suspended
 * </pre>
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillingStateApiIT implements TestPropertyProvider {

    private static final Instant ISSUED = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant DUE = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant GRACE_ENDS = Instant.parse("2026-12-06T00:00:00Z");
    private static final MutableClock CLOCK = PlacedClocks.place("billing-state", new MutableClock(ISSUED));
    private static final List<Usage> LINES = List.of(new Usage("price_calls", "ai_call", "200", "0.05", 1000));

    @Inject
    ApiCalls api;

    @Inject
    Topics topics;

    @Inject
    BillingDatabase billing;

    @Inject
    BillingStateWorker worker;

    private TestPostgres.Database database;
    private Jdbi jdbi;
    private InvoiceFixtures invoices;
    private String org;
    private String key;
    private final AtomicInteger days = new AtomicInteger();

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        Map<String, String> properties = TestServer.properties(database, "billing-state");
        properties.put(PlacedClocks.PROPERTY, "billing-state");
        // the test runs the workers' rounds itself
        properties.put("tally.billing.overdue.enabled", "false");
        properties.put("tally.billing.billing-state.enabled", "false");
        return properties;
    }

    @BeforeAll
    void createAnOrganization() {
        org = api.newOrganization("Standing Co");
        assertThat(api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("graceDays", 5)))
                        .body())
                .containsEntry("graceDays", 5);
        key = api.newKey(org);
        jdbi = billing.jdbi(); // with the SqlObject and PostgreSQL plugins, as the server's
        invoices = new InvoiceFixtures(jdbi);
        invoices.price(org, "price_calls", "ai_call", "USD", "0.05");
    }

    @BeforeEach
    void placeTheClock() {
        CLOCK.set(ISSUED);
    }

    private String newCustomer(String externalId) {
        return (String) api.post(key, "/v1/customers", Map.of("externalId", externalId))
                .body()
                .get("id");
    }

    /** An open invoice of {@code customer} issued on 11-01 (each for a period of its own). */
    private String open(String customer) {
        Instant start = Instant.parse("2026-10-01T00:00:00Z").plus(Duration.ofDays(days.getAndIncrement()));
        return invoices.issue(
                org, customer, "USD", new UsagePeriod(start, start.plus(Duration.ofDays(1))), ISSUED, LINES);
    }

    private Map<String, Object> customer(String id) {
        return api.get(key, "/v1/customers/" + id).body();
    }

    private void at(Instant now) {
        CLOCK.set(now);
        worker.drain();
    }

    /** The billing-state events of {@code customerExternalId} in the outbox, in the order they were enqueued. */
    private List<InvoiceEvent> stateEvents(String customerExternalId) {
        List<byte[]> payloads = jdbi.withHandle(
                h -> h.createQuery("SELECT payload FROM billing.outbox WHERE topic = :topic ORDER BY id")
                        .bind("topic", topics.invoiceEvents().name())
                        .mapTo(byte[].class)
                        .list());
        List<InvoiceEvent> events = new ArrayList<>();
        for (byte[] payload : payloads) {
            InvoiceEvent event = topics.invoiceEvents()
                    .valueSerde()
                    .deserializer()
                    .deserialize(topics.invoiceEvents().name(), payload);
            if (event.getType() == InvoiceEventType.CUSTOMER_BILLING_STATE_CHANGED
                    && event.getCustomerId().equals(customerExternalId)) {
                events.add(event);
            }
        }
        return events;
    }

    @Test
    void shouldMoveActiveToOverdueToSuspendedByTheClockAndBackToActiveAtOnceWhenPaid() {
        String customer = newCustomer("standing_1");
        String invoice = open(customer);
        assertThat(customer(customer)).containsEntry("billingState", "active");

        at(DUE); // due, not yet past due
        assertThat(customer(customer)).containsEntry("billingState", "active");

        Instant overdueAt = DUE.plusSeconds(1);
        at(overdueAt);
        assertThat(customer(customer))
                .containsEntry("billingState", "overdue")
                .containsEntry("billingStateSince", overdueAt.toString());

        at(GRACE_ENDS); // the last instant of the grace days
        assertThat(customer(customer)).containsEntry("billingState", "overdue");

        Instant suspendedAt = GRACE_ENDS.plusSeconds(60);
        at(suspendedAt);
        assertThat(customer(customer))
                .containsEntry("billingState", "suspended")
                .containsEntry("billingStateSince", suspendedAt.toString());
        assertThat(ApiCalls.list(api.get(key, "/v1/customers?externalId=standing_1")
                        .body()
                        .get("data")))
                .singleElement()
                .satisfies(c -> assertThat(c).containsEntry("billingState", "suspended"));
        assertThat(ApiCalls.list(api.get(key, "/v1/customers?billingState=suspended&limit=1000")
                        .body()
                        .get("data")))
                .extracting(c -> c.get("id"))
                .contains(customer);
        assertThat(ApiCalls.list(api.get(key, "/v1/customers?billingState=active&limit=1000")
                        .body()
                        .get("data")))
                .extracting(c -> c.get("id"))
                .doesNotContain(customer);
        assertError(api.get(key, "/v1/customers?billingState=late"), 400, "invalid_request", "billingState");

        Instant paidAt = suspendedAt.plus(Duration.ofHours(2));
        CLOCK.set(paidAt);
        assertThat(api.post(key, "/v1/invoices/" + invoice + "/pay", Map.of("paidOutOfBand", true))
                        .code())
                .isEqualTo(200);
        // no worker round: the payment itself returned the customer to active
        assertThat(customer(customer))
                .containsEntry("billingState", "active")
                .containsEntry("billingStateSince", paidAt.toString());
        assertThat(worker.drain()).isZero();

        List<InvoiceEvent> events = stateEvents("standing_1");
        assertThat(events)
                .extracting(InvoiceEvent::getPreviousBillingState, InvoiceEvent::getBillingState)
                .containsExactly(
                        tuple("active", "overdue"), tuple("overdue", "suspended"), tuple("suspended", "active"));
        assertThat(events).extracting(InvoiceEvent::getBillingStateChange).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(InvoiceEvent::getInvoiceId).containsOnly(invoice);
        assertThat(events).extracting(InvoiceEvent::getOccurredAt).containsExactly(overdueAt, suspendedAt, paidAt);
        assertThat(events)
                .extracting(InvoiceEvent::getEventId)
                .containsExactly(
                        BillingStateChanges.eventId(customer, 1),
                        BillingStateChanges.eventId(customer, 2),
                        BillingStateChanges.eventId(customer, 3));
    }

    @Test
    void shouldStayOverdueUntilTheLastInvoicePastDueIsVoidedOrWrittenOff() {
        String customer = newCustomer("standing_2");
        String first = open(customer);
        String second = open(customer);
        at(DUE.plus(Duration.ofDays(1)));
        assertThat(customer(customer)).containsEntry("billingState", "overdue");

        api.post(key, "/v1/invoices/" + first + "/void", Map.of("reason", "issued in error"));
        assertThat(customer(customer)).containsEntry("billingState", "overdue");

        api.post(key, "/v1/invoices/" + second + "/mark-uncollectible", Map.of("reason", "customer went away"));
        assertThat(customer(customer)).containsEntry("billingState", "active");

        List<InvoiceEvent> events = stateEvents("standing_2");
        assertThat(events).extracting(InvoiceEvent::getBillingState).containsExactly("overdue", "active");
        // the change back names the invoice that made it: the one written off
        assertThat(events.getLast().getInvoiceId()).isEqualTo(second);
    }

    @Test
    void shouldReturnToActiveWhenAStellarPaymentCoversTheLastInvoicePastDue() {
        String customer = newCustomer("standing_3");
        String invoice = open(customer);
        at(DUE.plus(Duration.ofDays(10)));
        assertThat(customer(customer)).containsEntry("billingState", "suspended");

        PaymentRecorder recorder = new PaymentRecorder(billing.outbox(), topics, CLOCK);
        PaymentEvent settled = PaymentEvent.newBuilder()
                .setEventId("pay-" + invoice)
                .setType(PaymentEventType.SETTLED)
                .setInvoiceId(invoice)
                .setOrganizationId(org)
                .setLivemode(false)
                .setAmount(new BigDecimal("10.0000000"))
                .setAssetCode("USDC")
                .setAssetIssuer("GISSUER")
                .setDestination("GDEST")
                .setMemo("inv")
                .setTransactionHash("tx-" + invoice)
                .setSourceAccount("GPAYER")
                .setOccurredAt(CLOCK.instant())
                .build();
        boolean enqueued = jdbi.inTransaction(h -> recorder.apply(h, settled));
        assertThat(enqueued).isTrue();

        assertThat(customer(customer)).containsEntry("billingState", "active");
        assertThat(stateEvents("standing_3"))
                .extracting(InvoiceEvent::getBillingState)
                .containsExactly("suspended", "active");
    }

    @Test
    void shouldAnnounceEachChangeOnceUnderTwoRacingWorkers() throws Exception {
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String customer = newCustomer("racing_" + i);
            open(customer);
            customers.add(customer);
        }
        Instant now = DUE.plus(Duration.ofDays(2));
        BillingStateChanges changes = new BillingStateChanges(billing.outbox(), topics);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<BillingStateChange>>> rounds = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                rounds.add(threads.submit(() -> {
                    start.await();
                    List<BillingStateChange> mine = new ArrayList<>();
                    List<BillingStateChange> round;
                    do { // small batches, so that the two workers interleave
                        round = jdbi.inTransaction(h -> changes.advance(h, now, 2));
                        mine.addAll(round);
                    } while (!round.isEmpty());
                    return mine;
                }));
            }
            List<BillingStateChange> all = new ArrayList<>();
            for (Future<List<BillingStateChange>> round : rounds) {
                all.addAll(round.get());
            }
            assertThat(all)
                    .filteredOn(c -> customers.contains(c.customerId()))
                    .extracting(BillingStateChange::customerId)
                    .containsExactlyInAnyOrderElementsOf(customers);
        } finally {
            threads.shutdownNow();
        }
        for (int i = 0; i < 30; i++) {
            assertThat(stateEvents("racing_" + i)).singleElement().satisfies(e -> assertThat(e.getBillingState())
                    .isEqualTo("overdue"));
        }
        Set<Long> counts = jdbi.withHandle(h -> h.createQuery(
                        "SELECT DISTINCT changes FROM billing.billing_accounts WHERE customer_id = ANY(:ids)")
                .bindArray("ids", String.class, customers)
                .mapTo(Long.class)
                .set());
        assertThat(counts).containsExactly(1L);
    }

    @Test
    void shouldRefuseABillingStateTheDatabaseDoesNotKnow() {
        String customer = newCustomer("standing_4");
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(
                        "UPDATE billing.billing_accounts SET state = 'delinquent' WHERE customer_id = ?", customer)))
                .hasStackTraceContaining("billing_accounts_state_known");
        assertThatThrownBy(() -> jdbi.useHandle(
                        h -> h.execute("UPDATE billing.organizations SET grace_days = -1 WHERE id = ?", org)))
                .hasStackTraceContaining("organizations_grace_days_bounded");
    }

    @Test
    void shouldTakeGraceDaysOnCreateAndRefuseBadOnesNamingTheField() {
        assertThat(api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "Default Grace")))
                        .body())
                .containsEntry("graceDays", 14);
        assertThat(api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "No Grace", "graceDays", 0)))
                        .body())
                .containsEntry("graceDays", 0);
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + org)).body())
                .containsEntry("graceDays", 5);
        assertError(
                api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "x", "graceDays", -1))),
                400,
                "invalid_request",
                "graceDays");
        assertError(
                api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("graceDays", 366))),
                400,
                "invalid_request",
                "graceDays");
        assertError(
                api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("graceDays", "ten"))),
                400,
                "invalid_request",
                "graceDays");
        assertError(
                api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("graceDays", 1.5))),
                400,
                "invalid_request",
                "graceDays");
    }
}
