package dev.tally.billing.draft;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.RepeatedRounds;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceTransitions;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finalizes the drafts whose {@code autoFinalizeAt} has passed by the billing clock: every {@link
 * DraftSettings#interval()} it claims a batch of them (locked, skipping those another worker, an edit or a
 * finalize call holds) and finalizes them by the one finalization of {@code POST …/finalize} ({@link
 * InvoiceTransitions#finalizeLocked}: number, total, due date, FINALIZED event through the outbox) in one
 * transaction, until none is left. A draft finalized meanwhile is no longer a draft when the claim reads it, so
 * none is finalized twice.
 */
@Context
public final class DraftFinalizationWorker {

    private static final Logger LOG = LoggerFactory.getLogger(DraftFinalizationWorker.class);

    private final Jdbi jdbi;
    private final InvoiceTransitions transitions;
    private final DraftSettings settings;
    private final Clock clock;
    private final boolean enabled;
    private RepeatedRounds rounds;

    public DraftFinalizationWorker(
            BillingDatabase database,
            InvoiceTransitions transitions,
            BillingSettings billing,
            DraftSettings settings,
            @Named(BillingClock.NAME) Clock clock) {
        this.jdbi = database.jdbi();
        this.transitions = transitions;
        this.settings = settings;
        this.clock = clock;
        this.enabled = billing.workersEnabled() && settings.enabled();
    }

    @PostConstruct
    void start() {
        if (enabled) {
            rounds = RepeatedRounds.start("billing-drafts", 1, settings.interval(), this::drain, LOG);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (rounds != null) {
            rounds.close();
        }
    }

    /** Runs rounds now until one finds no draft due; returns how many were finalized. */
    public int drain() {
        return RepeatedRounds.drain(this::runOnce);
    }

    /** Finalizes up to {@link DraftSettings#batchSize()} drafts due now; returns how many. */
    public int runOnce() {
        Instant now = clock.instant();
        List<Invoice> finalized = jdbi.inTransaction(handle -> {
            List<Invoice> due = handle.attach(DraftDao.class).claimDue(now, settings.batchSize());
            transitions.finalizeLocked(handle, due, now);
            return due;
        });
        if (!finalized.isEmpty()) {
            LOG.info("{} drafts reached their autoFinalizeAt and were finalized", finalized.size());
        }
        return finalized.size();
    }
}
