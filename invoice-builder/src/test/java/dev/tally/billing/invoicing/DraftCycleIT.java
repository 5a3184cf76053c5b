package dev.tally.billing.invoicing;

import static dev.tally.billing.invoicing.CycleHarness.ORG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.BillingException;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.draft.DraftEditor;
import dev.tally.billing.draft.DraftFinalizationWorker;
import dev.tally.billing.draft.DraftSettings;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceTransitions;
import dev.tally.billing.invoice.InvoiceViews;
import dev.tally.billing.lineage.InvoiceVerifier;
import dev.tally.billing.lineage.Verification;
import io.micronaut.serde.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The billing cycle's drafts and their automatic finalization on the real PostgreSQL: with the organization's
 * {@code autoFinalizeDelay} the cycle leaves its invoices drafts with {@code autoFinalizeAt} = written + delay;
 * the draft finalization worker finalizes them once the billing clock passes it, as {@code POST …/finalize}
 * does (number, due date, one FINALIZED event in the outbox); with a zero delay the cycle finalizes at once; two
 * workers racing finalize each draft once, numbered without gap or duplicate.
 */
class DraftCycleIT {

    private static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private final CycleHarness cycle = new CycleHarness();
    private final InvoiceTransitions transitions =
            new InvoiceTransitions(cycle.database, cycle.relay, cycle.topics, cycle.clock);

    private DraftFinalizationWorker worker(int batchSize) {
        BillingSettings billing = new BillingSettings(
                "admin", "g", Duration.ofMillis(100), 10, Duration.ofMillis(100), false, Duration.ofMinutes(1));
        return new DraftFinalizationWorker(
                cycle.database,
                transitions,
                billing,
                new DraftSettings(true, Duration.ofMinutes(1), batchSize),
                cycle.clock);
    }

    private void delaySeconds(int seconds) {
        cycle.jdbi.useHandle(h -> h.execute(
                "UPDATE billing.organizations SET auto_finalize_delay_seconds = ? WHERE id = ?", seconds, ORG));
    }

    private Invoice reread(Invoice invoice) {
        return cycle.invoicesOf(invoice.subscriptionId()).stream()
                .filter(i -> i.id().equals(invoice.id()))
                .findFirst()
                .orElseThrow();
    }

    /** The events the outbox holds for invoice {@code id} (FINALIZED is the only one the cycle writes). */
    private long eventsOf(String id) {
        return cycle.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM billing.outbox WHERE record_key = :id")
                .bind("id", id)
                .mapTo(Long.class)
                .one());
    }

    @Test
    void shouldLeaveTheCyclesInvoiceADraftUntilTheClockPassesItsAutoFinalizeAtThenFinalizeItOnce() {
        delaySeconds(3600);
        cycle.clock.set(MAR);
        cycle.subscribe("sub_1", MAR, "si_pro", "price_pro");

        Invoice draft = cycle.invoicing.bill("sub_1", MAR).invoice().orElseThrow();

        assertThat(draft.status()).isEqualTo("draft");
        assertThat(draft.number()).isNull();
        assertThat(draft.dueAt()).isNull();
        assertThat(draft.totalMinor()).as("a draft shows what it will ask").isEqualTo(4900);
        assertThat(draft.autoFinalizeAt()).isEqualTo(MAR.plus(HOUR));
        assertThat(eventsOf(draft.id())).isZero();

        DraftFinalizationWorker worker = worker(10);
        cycle.clock.set(MAR.plus(HOUR).minusSeconds(1));
        assertThat(worker.drain()).isZero();
        assertThat(reread(draft).status()).isEqualTo("draft");

        cycle.clock.set(MAR.plus(HOUR));
        assertThat(worker.drain()).isEqualTo(1);

        Invoice finalized = reread(draft);
        assertThat(finalized.status()).isEqualTo("finalized");
        assertThat(finalized.number()).isEqualTo("ACME-TEST-2026-000001");
        assertThat(finalized.finalizedAt()).isEqualTo(MAR.plus(HOUR));
        assertThat(finalized.dueAt()).isEqualTo(MAR.plus(HOUR).plus(Duration.ofDays(30)));
        assertThat(finalized.totalMinor()).isEqualTo(4900);
        assertThat(eventsOf(draft.id())).isEqualTo(1);

        cycle.clock.set(MAR.plus(Duration.ofDays(1)));
        assertThat(worker.drain()).as("nothing is finalized twice").isZero();
        assertThat(eventsOf(draft.id())).isEqualTo(1);
    }

    @Test
    void shouldVerifyACycleInvoiceEditedWithAOneOffLineAsItsPlanPlusThatLine() {
        delaySeconds(3600);
        cycle.clock.set(MAR);
        cycle.subscribe("sub_1", MAR, "si_pro", "price_pro");
        Invoice draft = cycle.invoicing.bill("sub_1", MAR).invoice().orElseThrow();

        InvoiceViews.InvoiceView edited = new DraftEditor(cycle.database, cycle.clock)
                .addLine(
                        new InvoiceTransitions.Target(ORG, false, draft.id()),
                        new DraftEditor.NewLine("Onboarding", new BigDecimal("1.5"), new BigDecimal("100")));
        assertThat(edited.totalMinor()).isEqualTo(4900 + 15000);
        cycle.clock.set(MAR.plus(HOUR));
        assertThat(worker(10).drain()).isEqualTo(1);

        Verification verification = new InvoiceVerifier(
                        cycle.database, new StoredPriceDefinitions(ObjectMapper.getDefault()))
                .verify(ORG, false, draft.id());
        assertThat(verification.differences()).isEmpty();
        assertThat(reread(draft).totalMinor()).isEqualTo(19900);
    }

    @Test
    void shouldEitherEditADraftBeforeTheWorkerFinalizesItOrRefuseTheEditAfter() throws Exception {
        delaySeconds(3600);
        cycle.clock.set(MAR);
        DraftEditor editor = new DraftEditor(cycle.database, cycle.clock);
        DraftFinalizationWorker worker = worker(10);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 1; i <= 5; i++) {
                String subscription = "sub_race_" + i;
                cycle.clock.set(MAR);
                cycle.subscribe(subscription, MAR, "si_pro", "price_pro");
                Invoice draft =
                        cycle.invoicing.bill(subscription, MAR).invoice().orElseThrow();
                cycle.clock.set(MAR.plus(HOUR));
                CountDownLatch start = new CountDownLatch(1);
                Future<Boolean> edit = pool.submit(() -> {
                    start.await();
                    try {
                        editor.addLine(
                                new InvoiceTransitions.Target(ORG, false, draft.id()),
                                new DraftEditor.NewLine("Late fee", BigDecimal.ONE, BigDecimal.TEN));
                        return true;
                    } catch (BillingException refused) {
                        assertThat(refused.status()).contains("finalized");
                        return false;
                    }
                });
                Future<Integer> finalization = pool.submit(() -> {
                    start.await();
                    return worker.drain();
                });
                start.countDown();
                boolean edited = edit.get();
                finalization.get();
                worker.drain();

                Invoice issued = reread(draft);
                assertThat(issued.status()).isEqualTo("finalized");
                assertThat(issued.totalMinor())
                        .as("the edit is in the issued total exactly when it was answered")
                        .isEqualTo(edited ? 4900 + 1000 : 4900);
                assertThat(eventsOf(draft.id())).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldFinalizeAtOnceWithADelayOfZero() {
        cycle.clock.set(MAR);
        cycle.subscribe("sub_1", MAR, "si_pro", "price_pro");

        Invoice invoice = cycle.invoicing.bill("sub_1", MAR).invoice().orElseThrow();

        assertThat(invoice.status()).isEqualTo("finalized");
        assertThat(invoice.number()).isEqualTo("ACME-TEST-2026-000001");
        assertThat(invoice.autoFinalizeAt()).isNull();
        assertThat(eventsOf(invoice.id())).isEqualTo(1);
    }

    @Test
    void shouldLeaveDraftsFromTheWorkersBatchesToo() {
        delaySeconds(600);
        cycle.clock.set(MAR);
        List<String> subscriptions =
                IntStream.rangeClosed(1, 3).mapToObj(i -> "sub_" + i).toList();
        subscriptions.forEach(id -> cycle.subscribe(id, MAR, "si_pro", "price_pro"));
        BillingCycleWorker billing = new BillingCycleWorker(
                cycle.jdbi,
                cycle.invoicing,
                cycle.relay,
                () -> Optional.of(MAR.plus(Duration.ofDays(60))),
                Duration.ofMinutes(1),
                new BillingCycleSettings(true, Duration.ofMillis(50), 10, 1, Duration.ofMinutes(1)),
                cycle.clock,
                false);

        assertThat(billing.runOnce().subscriptionsBilled()).isEqualTo(3);

        for (String id : subscriptions) {
            assertThat(cycle.invoicesOf(id)).singleElement().satisfies(invoice -> {
                assertThat(invoice.status()).isEqualTo("draft");
                assertThat(invoice.totalMinor()).isEqualTo(4900);
                assertThat(invoice.autoFinalizeAt()).isEqualTo(MAR.plusSeconds(600));
                assertThat(eventsOf(invoice.id())).isZero();
            });
        }
    }

    @Test
    void shouldFinalizeEachDraftOnceWithOneNumberAndOneEventWhenTwoWorkersRace() throws Exception {
        delaySeconds(3600);
        cycle.clock.set(MAR);
        List<String> subscriptions =
                IntStream.rangeClosed(1, 9).mapToObj(i -> "sub_" + i).toList();
        List<Invoice> drafts = new ArrayList<>();
        for (String id : subscriptions) {
            cycle.subscribe(id, MAR, "si_pro", "price_pro");
            drafts.add(cycle.invoicing.bill(id, MAR).invoice().orElseThrow());
        }
        cycle.clock.set(MAR.plus(HOUR));
        DraftFinalizationWorker first = worker(2);
        DraftFinalizationWorker second = worker(2);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> rounds = new ArrayList<>();
            for (DraftFinalizationWorker worker : List.of(first, second)) {
                Callable<Integer> round = () -> {
                    start.await();
                    return worker.drain();
                };
                rounds.add(pool.submit(round));
            }
            start.countDown();
            int finalized = 0;
            for (Future<Integer> round : rounds) {
                finalized += round.get();
            }
            assertThat(finalized).isEqualTo(drafts.size());
        } finally {
            pool.shutdownNow();
        }

        List<Invoice> issued = drafts.stream().map(this::reread).toList();
        assertThat(issued).allSatisfy(invoice -> {
            assertThat(invoice.status()).isEqualTo("finalized");
            assertThat(eventsOf(invoice.id())).isEqualTo(1);
        });
        assertThat(issued.stream().map(Invoice::number).sorted())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, drafts.size())
                        .mapToObj(n -> String.format("ACME-TEST-2026-%06d", n))
                        .toList());
    }
}
