package dev.tally.billing.overdue;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.RepeatedRounds;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceEvents;
import dev.tally.platform.outbox.Outbox;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits {@code InvoiceEvent OVERDUE} once per invoice, when an open invoice is past its due date by the billing
 * clock: every {@link OverdueSettings#interval()} it claims a batch of such invoices not yet notified, enqueues
 * their events and marks them ({@code overdue_notified_at}) in one transaction, until none is left. The claim
 * skips rows another instance holds, and the database lets the mark be set only once (V26), so no invoice is
 * announced twice. The API's {@code overdue} flag does not wait for this: it is read from the clock.
 */
@Context
public final class OverdueInvoiceWorker {

    private static final Logger LOG = LoggerFactory.getLogger(OverdueInvoiceWorker.class);

    private final Jdbi jdbi;
    private final Outbox outbox;
    private final Topics topics;
    private final BillingOutboxRelay relay;
    private final OverdueSettings settings;
    private final Clock clock;
    private final boolean enabled;
    private RepeatedRounds rounds;

    public OverdueInvoiceWorker(
            BillingDatabase database,
            Topics topics,
            BillingOutboxRelay relay,
            BillingSettings billing,
            OverdueSettings settings,
            @Named(BillingClock.NAME) Clock clock) {
        this.jdbi = database.jdbi();
        this.outbox = database.outbox();
        this.topics = topics;
        this.relay = relay;
        this.settings = settings;
        this.clock = clock;
        this.enabled = billing.workersEnabled() && settings.enabled();
    }

    @PostConstruct
    void start() {
        if (enabled) {
            rounds = RepeatedRounds.start("billing-overdue", 1, settings.interval(), this::drain, LOG);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (rounds != null) {
            rounds.close();
        }
    }

    /** Runs rounds now until one finds no invoice fallen due; returns how many were announced. */
    public int drain() {
        return RepeatedRounds.drain(this::runOnce);
    }

    /** Announces up to {@link OverdueSettings#batchSize()} invoices fallen due now; returns how many. */
    public int runOnce() {
        Instant now = clock.instant();
        List<Invoice> overdue = jdbi.inTransaction(handle -> {
            List<Invoice> claimed = new InvoiceDao(handle).claimOverdue(now, settings.batchSize());
            outbox.enqueueAll(
                    handle,
                    topics.invoiceEvents(),
                    claimed.stream()
                            .map(invoice -> Map.entry(
                                    invoice.id(),
                                    InvoiceEvents.of(invoice, InvoiceEventType.OVERDUE, now)
                                            .build()))
                            .toList());
            return claimed;
        });
        if (!overdue.isEmpty()) {
            relay.wakeUp();
            LOG.info("{} invoices fell due unpaid, OVERDUE enqueued", overdue.size());
        }
        return overdue.size();
    }
}
