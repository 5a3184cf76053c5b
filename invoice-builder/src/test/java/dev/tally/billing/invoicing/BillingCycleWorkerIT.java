package dev.tally.billing.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.UsagePeriod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
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
                new BillingCycleSettings(true, Duration.ofMillis(50), batchSize, Duration.ofMinutes(1)),
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
