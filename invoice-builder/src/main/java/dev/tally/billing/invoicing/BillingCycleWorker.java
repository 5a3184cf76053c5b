package dev.tally.billing.invoicing;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.RepeatedRounds;
import dev.tally.billing.finality.UsageFinality;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The billing cycle, started with the application: on {@link BillingCycleSettings#threads()} threads, it bills
 * rounds of the subscriptions due, until none is, then looks again after {@link BillingCycleSettings#interval()};
 * it bills the subscriptions due ({@code next_plan_at} come) as of {@code asOf = min(now, finalThrough − margin)}, so
 * that nothing is billed on usage that is not final ({@link UsageFinality}, {@link
 * BillingSettings#finalityMargin()}); while finality is unknown nothing is billed and the log says so.
 *
 * <p>Each round claims a batch of due subscriptions ({@code FOR UPDATE SKIP LOCKED}, {@link
 * BillingCycleSettings#batchSize()}) and bills them in one transaction with their next {@code next_plan_at}
 * ({@link SubscriptionInvoicing#billAllIn}: a few statements per batch rather than some twenty per
 * subscription): several instances share the work without waiting on each other's claims, a restart resumes
 * where the last commit left, and a line is never written twice ({@code UNIQUE (subscription_id, line_key)}).
 * Rounds of one organization run side by side: they share its row and take its invoice counter only to number
 * their invoices, at the end ({@link SubscriptionInvoicing} gives the order of locks every bill takes). One
 * subscription failing does not hold back the others: it is left out of the batch (its planning failed) or,
 * if writing the batch failed, the batch is rolled back to a savepoint and billed one by one.
 *
 * <p>The module has no metrics registry: each round that billed something logs what it did and how far
 * {@code asOf} lags behind now.
 */
@Context
public final class BillingCycleWorker {

    private static final Logger LOG = LoggerFactory.getLogger(BillingCycleWorker.class);
    private static final String SAVEPOINT = "subscription_bill";
    private static final String BATCH_SAVEPOINT = "subscription_batch";

    private final Jdbi jdbi;
    private final SubscriptionInvoicing invoicing;
    private final BillingOutboxRelay relay;
    private final Supplier<Optional<Instant>> finalThrough;
    private final Duration margin;
    private final BillingCycleSettings settings;
    private final Clock clock;
    private final boolean enabled;
    private volatile boolean waitingForFinality;
    private RepeatedRounds rounds;

    @Inject
    public BillingCycleWorker(
            BillingDatabase database,
            SubscriptionInvoicing invoicing,
            BillingOutboxRelay relay,
            UsageFinality finality,
            BillingSettings billing,
            BillingCycleSettings settings,
            @Named(BillingClock.NAME) Clock clock) {
        this(
                database.jdbi(),
                invoicing,
                relay,
                finality::finalThrough,
                billing.finalityMargin(),
                settings,
                clock,
                billing.workersEnabled() && settings.enabled());
    }

    /** A worker reading finality from {@code finalThrough}; it runs rounds on its own only if {@code enabled}. */
    BillingCycleWorker(
            Jdbi jdbi,
            SubscriptionInvoicing invoicing,
            BillingOutboxRelay relay,
            Supplier<Optional<Instant>> finalThrough,
            Duration margin,
            BillingCycleSettings settings,
            Clock clock,
            boolean enabled) {
        this.jdbi = jdbi;
        this.invoicing = invoicing;
        this.relay = relay;
        this.finalThrough = finalThrough;
        this.margin = margin;
        this.settings = settings;
        this.clock = clock;
        this.enabled = enabled;
    }

    /**
     * What one round did: the instant it billed as of (empty: finality unknown, nothing billed), the
     * subscriptions it billed, the invoices they made, and the subscriptions whose bill failed (retried after
     * {@link BillingCycleSettings#retryDelay()}).
     */
    public record Round(Optional<Instant> asOf, int subscriptionsBilled, int invoicesBuilt, int failures) {}

    private enum Outcome {
        INVOICED,
        NOTHING_NEW,
        FAILED
    }

    @PostConstruct
    void start() {
        if (enabled) {
            rounds = RepeatedRounds.start("billing-cycle", settings.threads(), settings.interval(), this::drain, LOG);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (rounds != null) {
            rounds.close();
        }
    }

    /**
     * Runs rounds now until one finds nothing to bill: every subscription due is billed, or failed and waits for
     * its retry. Returns the subscriptions billed.
     */
    public long drain() {
        long billed = 0;
        Round round;
        do {
            round = runOnce();
            billed += round.subscriptionsBilled();
        } while (round.subscriptionsBilled() + round.failures() > 0
                && !Thread.currentThread().isInterrupted());
        return billed;
    }

    /** Runs one round now: bills up to {@link BillingCycleSettings#batchSize()} due subscriptions. */
    public Round runOnce() {
        Instant now = clock.instant();
        Optional<Instant> finality = finalThrough.get();
        if (finality.isEmpty()) {
            if (!waitingForFinality) {
                LOG.info("billing cycle: usage finality is not known yet (no watermark from every usage-events"
                        + " partition reached the ledger): nothing is billed until it is");
            }
            waitingForFinality = true;
            return new Round(Optional.empty(), 0, 0, 0);
        }
        waitingForFinality = false;
        Instant bound = finality.get().minus(margin);
        Instant asOf = (bound.isBefore(now) ? bound : now).truncatedTo(ChronoUnit.SECONDS);
        int[] counts = jdbi.inTransaction(handle -> claimAndBill(handle, asOf, now));
        int billed = counts[0];
        int invoices = counts[1];
        int failures = counts[2];
        if (invoices > 0) {
            relay.wakeUp();
        }
        if (billed + failures > 0) {
            LOG.info(
                    "billing cycle as of {} ({} behind now): {} subscriptions billed, {} invoices built, {} failed",
                    asOf,
                    Duration.between(asOf, now),
                    billed,
                    invoices,
                    failures);
        }
        return new Round(Optional.of(asOf), billed, invoices, failures);
    }

    /**
     * Claims up to a batch of due subscriptions and bills them together ({@link SubscriptionInvoicing#billAllIn}),
     * in a savepoint: if writing the batch fails, it is rolled back and its subscriptions are billed one by one,
     * each in a savepoint of its own, so that one subscription never holds back the others. Returns the
     * subscriptions billed, the invoices built and the failures.
     */
    private int[] claimAndBill(Handle handle, Instant asOf, Instant now) {
        SubscriptionInvoicingDao dao = handle.attach(SubscriptionInvoicingDao.class);
        List<String> due = dao.claimDue(asOf, settings.batchSize());
        int[] counts = new int[3];
        if (due.isEmpty()) {
            return counts;
        }
        List<String> oneByOne = new ArrayList<>();
        handle.savepoint(BATCH_SAVEPOINT);
        try {
            BatchInvoicing.Result result = invoicing.billAllIn(handle, due, asOf);
            handle.releaseSavepoint(BATCH_SAVEPOINT);
            counts[0] = result.invoiced().size() + result.nothingNew().size();
            counts[1] = result.invoiced().size();
            for (BatchInvoicing.Failure failure : result.failed()) {
                retryLater(dao, failure.subscriptionId(), asOf, now, failure.cause());
                counts[2]++;
            }
            oneByOne.addAll(result.sequential());
        } catch (RuntimeException e) {
            handle.rollbackToSavepoint(BATCH_SAVEPOINT);
            LOG.warn(
                    "billing cycle: a batch of {} subscriptions failed as a whole; billing them one by one",
                    due.size(),
                    e);
            oneByOne.addAll(due);
        }
        for (String id : oneByOne) {
            switch (billOne(handle, dao, id, asOf, now)) {
                case INVOICED -> {
                    counts[0]++;
                    counts[1]++;
                }
                case NOTHING_NEW -> counts[0]++;
                case FAILED -> counts[2]++;
            }
        }
        return counts;
    }

    /** Bills claimed subscription {@code id} alone, in a savepoint. */
    private Outcome billOne(Handle handle, SubscriptionInvoicingDao dao, String id, Instant asOf, Instant now) {
        handle.savepoint(SAVEPOINT);
        try {
            SubscriptionInvoicing.Billing billing = invoicing.billIn(handle, id, asOf);
            handle.releaseSavepoint(SAVEPOINT);
            return billing.invoice().isPresent() ? Outcome.INVOICED : Outcome.NOTHING_NEW;
        } catch (RuntimeException e) {
            // one subscription's failure (usage not complete yet, an amount beyond the money types, a price
            // it cannot bill) must not hold back the others: it waits and is tried again
            handle.rollbackToSavepoint(SAVEPOINT);
            retryLater(dao, id, asOf, now, e);
            return Outcome.FAILED;
        }
    }

    private void retryLater(
            SubscriptionInvoicingDao dao, String id, Instant asOf, Instant now, RuntimeException cause) {
        Instant retryAt = now.plus(settings.retryDelay());
        dao.setNextPlanAt(id, retryAt);
        LOG.warn("billing cycle: subscription {} not billed as of {}; retried from {}", id, asOf, retryAt, cause);
    }
}
