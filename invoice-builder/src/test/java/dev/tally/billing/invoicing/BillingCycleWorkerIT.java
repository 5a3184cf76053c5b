package dev.tally.billing.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.UsagePeriod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two billing cycle workers on the same PostgreSQL, as two instances of invoice-builder: six subscriptions to
 * the Pro plan (49.00 a month in advance) from March 1, 2026, a finality margin of one minute, and finality
 * placed by the test.
 *
 * <pre>
 *  finality   unknown ─── Mar 1 00:00:30 ─── Mar 1 00:01 ──────────── Apr 1 00:01
 *  asOf       (none)      Feb 28 23:59:30    Mar 1 00:00              Apr 1 00:00
 *  billed     nothing     nothing            March, once each          April, once each
 * </pre>
 */
class BillingCycleWorkerIT {

    private static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant APR = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant MAY = Instant.parse("2026-05-01T00:00:00Z");
    private static final Duration MARGIN = Duration.ofMinutes(1);
    private static final List<String> SUBSCRIPTIONS =
            IntStream.rangeClosed(1, 6).mapToObj(i -> "sub_" + i).toList();

    private final CycleHarness cycle = new CycleHarness();
    private final AtomicReference<Optional<Instant>> finality = new AtomicReference<>(Optional.empty());
    private final List<BillingCycleWorker> started = new ArrayList<>();

    @AfterEach
    void stopWorkers() throws InterruptedException {
        for (BillingCycleWorker worker : started) {
            worker.stop();
        }
    }

    private BillingCycleWorker worker(int batchSize, boolean runsOnItsOwn) {
        BillingCycleWorker worker = new BillingCycleWorker(
                cycle.jdbi,
                cycle.invoicing,
                cycle.relay,
                finality::get,
                MARGIN,
                new BillingCycleSettings(true, Duration.ofMillis(50), batchSize, 1, Duration.ofMinutes(1)),
                cycle.clock,
                runsOnItsOwn);
        if (runsOnItsOwn) {
            started.add(worker);
            worker.start();
        }
        return worker;
    }

    @Test
    void shouldBillEachPeriodOfEachSubscriptionExactlyOnceWithTwoWorkersAndNothingBeforeFinalityAndMargin()
            throws Exception {
        SUBSCRIPTIONS.forEach(id -> cycle.subscribe(id, MAR, "si_pro", "price_pro"));
        BillingCycleWorker first = worker(2, false);
        BillingCycleWorker second = worker(2, false);
        cycle.clock.set(MAR.plusSeconds(300));

        assertThat(bothRounds(first, second)).allSatisfy(round -> {
            assertThat(round.asOf()).as("finality unknown").isEmpty();
            assertThat(round.subscriptionsBilled()).isZero();
        });
        finality.set(Optional.of(MAR.plusSeconds(30)));
        assertThat(bothRounds(first, second)).allSatisfy(round -> {
            assertThat(round.asOf()).contains(MAR.minusSeconds(30));
            assertThat(round.subscriptionsBilled()).isZero();
        });
        assertThat(SUBSCRIPTIONS)
                .allSatisfy(id -> assertThat(cycle.invoicesOf(id)).isEmpty());

        finality.set(Optional.of(MAR.plus(MARGIN)));
        int billedInMarch = billUntilNoneDue(first, second);

        assertThat(billedInMarch).isEqualTo(6);
        assertThat(SUBSCRIPTIONS).allSatisfy(id -> assertThat(periodsBilled(id)).containsExactly(period(MAR, APR)));

        cycle.clock.set(APR.plusSeconds(300));
        finality.set(Optional.of(APR.plus(MARGIN)));
        int billedInApril = billUntilNoneDue(first, second);

        assertThat(billedInApril).isEqualTo(6);
        assertThat(SUBSCRIPTIONS)
                .allSatisfy(id -> assertThat(periodsBilled(id)).containsExactly(period(MAR, APR), period(APR, MAY)));
        assertThat(SUBSCRIPTIONS)
                .allSatisfy(id -> assertThat(cycle.nextPlanAt(id)).isEqualTo(MAY));
        assertThat(bothRounds(first, second))
                .allSatisfy(round -> assertThat(round.subscriptionsBilled()).isZero());
        int numbers = cycle.jdbi.withHandle(h -> h.createQuery("SELECT count(DISTINCT number) FROM billing.invoices")
                .mapTo(Integer.class)
                .one());
        assertThat(numbers).as("one number per invoice").isEqualTo(12);
    }

    @Test
    void shouldBillDueSubscriptionsOnItsOwnOnceStartedAndLeaveAFailingOneForLater() {
        SUBSCRIPTIONS.forEach(id -> cycle.subscribe(id, MAR, "si_pro", "price_pro"));
        cycle.price(
                "price_euro",
                "prod_plan",
                "flat",
                "{\"currency\":\"EUR\",\"model\":\"flat\",\"flatAmount\":\"45.00\",\"interval\":\"month\","
                        + "\"intervalCount\":1,\"billingTiming\":\"in_advance\"}");
        // a subscription in USD at a price in EUR: the planner refuses to bill it
        cycle.subscribe("sub_broken", MAR, "si_pro", "price_euro");
        cycle.clock.set(MAR.plusSeconds(300));
        finality.set(Optional.of(MAR.plus(MARGIN)));

        worker(1, true);
        worker(1, true);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(SUBSCRIPTIONS)
                .allSatisfy(id -> assertThat(periodsBilled(id)).containsExactly(period(MAR, APR))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cycle.nextPlanAt("sub_broken"))
                .as("retried a minute after its failure")
                .isEqualTo(MAR.plusSeconds(300).plus(Duration.ofMinutes(1))));
        assertThat(cycle.invoicesOf("sub_broken")).isEmpty();
    }

    @Test
    void shouldBillABatchTogetherExactlyAsOneByOneAndLeaveItsFailingOneForLater() {
        // three customers with the Pro plan and graduated API calls, their March usage across the tiers
        Map<String, String> calls = Map.of("beta", "500", "gamma", "2000", "delta", "12000");
        Map<String, Long> expectedMinor = Map.of(
                "beta", 4_900L + 4_900L + 1_000L, // March and April in advance, 500 × 0.02
                "gamma", 4_900L + 4_900L + 3_000L, // 1,000 × 0.02 + 1,000 × 0.01
                "delta", 4_900L + 4_900L + 12_000L); // 20.00 + 9,000 × 0.01 + 2,000 × 0.005
        Map<String, String> windows = new HashMap<>();
        calls.forEach((customer, quantity) -> {
            subscribeCustomer(customer, "sub_" + customer, "si_pro", "price_pro", "si_calls", "price_calls");
            windows.put(
                    customer,
                    cycle.fixtures
                            .statement(CycleHarness.ORG, customer, "ai_call", MAR.plusSeconds(3600))
                            .quantity(quantity)
                            .insert());
        });
        // the harness's customer twice: its second subscription is billed after the batch, on its own
        cycle.subscribe("sub_acme_1", MAR, "si_pro", "price_pro");
        cycle.subscribe("sub_acme_2", MAR, "si_pro", "price_pro");
        cycle.price(
                "price_euro",
                "prod_plan",
                "flat",
                "{\"currency\":\"EUR\",\"model\":\"flat\",\"flatAmount\":\"45.00\",\"interval\":\"month\","
                        + "\"intervalCount\":1,\"billingTiming\":\"in_advance\"}");
        subscribeCustomer("broken", "sub_broken", "si_pro", "price_euro");
        Instant now = APR.plusSeconds(300);
        cycle.clock.set(now);
        finality.set(Optional.of(APR.plus(MARGIN)));

        BillingCycleWorker.Round round = worker(10, false).runOnce();

        assertThat(round.subscriptionsBilled()).isEqualTo(5);
        assertThat(round.invoicesBuilt()).isEqualTo(5);
        assertThat(round.failures()).isEqualTo(1);
        calls.keySet().forEach(customer -> {
            List<Invoice> invoices = cycle.invoicesOf("sub_" + customer);
            assertThat(invoices).hasSize(1);
            assertThat(invoices.getFirst().totalMinor()).isEqualTo(expectedMinor.get(customer));
            String usageLine = cycle.lines(invoices.getFirst()).stream()
                    .filter(line -> "ai_call".equals(line.featureKey()))
                    .map(InvoiceLine::id)
                    .findFirst()
                    .orElseThrow();
            assertThat(cycle.billingLineOf(windows.get(customer)))
                    .as("the window is billed by its usage line")
                    .isEqualTo(usageLine);
            assertThat(cycle.nextPlanAt("sub_" + customer)).isEqualTo(MAY);
        });
        assertThat(List.of("sub_acme_1", "sub_acme_2")).allSatisfy(id -> {
            assertThat(cycle.invoicesOf(id)).singleElement().satisfies(invoice -> assertThat(invoice.totalMinor())
                    .isEqualTo(9_800L));
            assertThat(cycle.nextPlanAt(id)).isEqualTo(MAY);
        });
        assertThat(cycle.invoicesOf("sub_broken")).isEmpty();
        assertThat(cycle.nextPlanAt("sub_broken"))
                .as("retried a minute later")
                .isEqualTo(now.plus(Duration.ofMinutes(1)));
        List<String> numbers =
                cycle.jdbi.withHandle(h -> h.createQuery("SELECT number FROM billing.invoices ORDER BY number")
                        .mapTo(String.class)
                        .list());
        assertThat(numbers)
                .containsExactly(
                        "ACME-TEST-2026-000001",
                        "ACME-TEST-2026-000002",
                        "ACME-TEST-2026-000003",
                        "ACME-TEST-2026-000004",
                        "ACME-TEST-2026-000005");
        assertThat(cycle.outboxEvents()).isEqualTo(5);
        assertThat(worker(10, false).runOnce().subscriptionsBilled())
                .as("nothing is due again before May")
                .isZero();
    }

    /**
     * Rounds of one organization run side by side: a round does not wait for another bill of the organization in
     * flight (which holds the organization's row shared and takes its invoice counter only to number), and the
     * numbers stay gapless and distinct across rounds running at once.
     */
    @Test
    void shouldBillRoundsOfOneOrganizationSideBySideAndNumberTheirInvoicesWithoutGaps() throws Exception {
        SUBSCRIPTIONS.forEach(id -> subscribeCustomer("customer_" + id, id, "si_pro", "price_pro"));
        cycle.clock.set(MAR.plusSeconds(300));
        finality.set(Optional.of(MAR.plus(MARGIN)));

        try (Handle inFlight = cycle.jdbi.open()) {
            inFlight.begin();
            inFlight.attach(SubscriptionInvoicingDao.class).shareOrganizations(List.of(CycleHarness.ORG));
            BillingCycleWorker.Round round = assertTimeoutPreemptively(
                    Duration.ofSeconds(30), () -> worker(2, false).runOnce(), "a round waited for the bill in flight");
            assertThat(round.subscriptionsBilled()).isEqualTo(2);
            inFlight.commit();
        }
        int rest = billUntilNoneDue(worker(1, false), worker(1, false));

        assertThat(rest).isEqualTo(4);
        List<String> numbers =
                cycle.jdbi.withHandle(h -> h.createQuery("SELECT number FROM billing.invoices ORDER BY number")
                        .mapTo(String.class)
                        .list());
        assertThat(numbers)
                .containsExactly(
                        "ACME-TEST-2026-000001",
                        "ACME-TEST-2026-000002",
                        "ACME-TEST-2026-000003",
                        "ACME-TEST-2026-000004",
                        "ACME-TEST-2026-000005",
                        "ACME-TEST-2026-000006");
        long counter = cycle.jdbi.withHandle(h -> h.createQuery(
                        "SELECT next_number FROM billing.invoice_counters WHERE organization_id = :org AND NOT livemode")
                .bind("org", CycleHarness.ORG)
                .mapTo(Long.class)
                .one());
        assertThat(counter).isEqualTo(7);
    }

    /** A customer {@code externalId} of its own with subscription {@code id} from March 1 (item, price, … pairs). */
    private void subscribeCustomer(String externalId, String id, String... itemAndPrice) {
        cycle.jdbi.useTransaction(h -> {
            h.execute(
                    "INSERT INTO billing.customers (id, organization_id, livemode, external_id) VALUES (?, ?, false, ?)",
                    "cus_" + externalId,
                    CycleHarness.ORG,
                    externalId);
            h.execute(
                    "INSERT INTO billing.subscriptions (id, organization_id, livemode, customer_id, currency,"
                            + " interval, interval_count, start_at, time_zone, next_plan_at)"
                            + " VALUES (?, ?, false, ?, 'USD', 'month', 1, ?, 'UTC', ?)",
                    id,
                    CycleHarness.ORG,
                    "cus_" + externalId,
                    MAR,
                    MAR);
            for (int i = 0; i < itemAndPrice.length; i += 2) {
                h.execute(
                        "INSERT INTO billing.subscription_item_changes (subscription_id, item_id, at, price_id,"
                                + " quantity) VALUES (?, ?, ?, ?, 1)",
                        id,
                        itemAndPrice[i],
                        MAR,
                        itemAndPrice[i + 1]);
            }
        });
    }

    /** Rounds of both workers at once, repeated until a round of each bills nothing; the subscriptions billed. */
    private static int billUntilNoneDue(BillingCycleWorker first, BillingCycleWorker second) throws Exception {
        int billed = 0;
        while (true) {
            List<BillingCycleWorker.Round> rounds = bothRounds(first, second);
            int now = rounds.stream()
                    .mapToInt(BillingCycleWorker.Round::subscriptionsBilled)
                    .sum();
            assertThat(rounds).allSatisfy(round -> assertThat(round.failures()).isZero());
            if (now == 0) {
                return billed;
            }
            billed += now;
        }
    }

    private static List<BillingCycleWorker.Round> bothRounds(BillingCycleWorker first, BillingCycleWorker second)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<BillingCycleWorker.Round>> rounds = new ArrayList<>();
            for (BillingCycleWorker worker : List.of(first, second)) {
                rounds.add(threads.submit(() -> {
                    start.await();
                    return worker.runOnce();
                }));
            }
            start.countDown();
            List<BillingCycleWorker.Round> done = new ArrayList<>();
            for (Future<BillingCycleWorker.Round> round : rounds) {
                done.add(round.get());
            }
            return done;
        } finally {
            threads.shutdownNow();
        }
    }

    /** The spans the subscription's flat fees were billed for, invoice after invoice. */
    private List<UsagePeriod> periodsBilled(String subscriptionId) {
        List<UsagePeriod> periods = new ArrayList<>();
        for (Invoice invoice : cycle.invoicesOf(subscriptionId)) {
            cycle.lines(invoice).stream().map(InvoiceLine::usagePeriod).forEach(periods::add);
        }
        return periods;
    }

    private static UsagePeriod period(Instant start, Instant end) {
        return new UsagePeriod(start, end);
    }
}
