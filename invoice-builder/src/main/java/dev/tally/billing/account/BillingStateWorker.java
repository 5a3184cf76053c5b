package dev.tally.billing.account;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.RepeatedRounds;
import dev.tally.schemas.topic.Topics;
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
 * Moves customers' billing states forward with the billing clock: every {@link BillingStateSettings#interval()}
 * it locks a batch of customers whose state is behind (an open invoice fell due: overdue; the grace days ran
 * out: suspended), writes their new states and enqueues one event each, in one transaction, until none is
 * left. Customers another instance holds are skipped, and a customer is moved only if its state still differs
 * once locked, so two instances never announce one change twice.
 */
@Context
public final class BillingStateWorker {

    private static final Logger LOG = LoggerFactory.getLogger(BillingStateWorker.class);

    private final Jdbi jdbi;
    private final BillingStateChanges changes;
    private final BillingOutboxRelay relay;
    private final BillingStateSettings settings;
    private final Clock clock;
    private final boolean enabled;
    private RepeatedRounds rounds;

    public BillingStateWorker(
            BillingDatabase database,
            Topics topics,
            BillingOutboxRelay relay,
            BillingSettings billing,
            BillingStateSettings settings,
            @Named(BillingClock.NAME) Clock clock) {
        this.jdbi = database.jdbi();
        this.changes = new BillingStateChanges(database.outbox(), topics);
        this.relay = relay;
        this.settings = settings;
        this.clock = clock;
        this.enabled = billing.workersEnabled() && settings.enabled();
    }

    @PostConstruct
    void start() {
        if (enabled) {
            rounds = RepeatedRounds.start("billing-state", 1, settings.interval(), this::drain, LOG);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (rounds != null) {
            rounds.close();
        }
    }

    /** Runs rounds now until one finds no customer to move; returns how many changes were written. */
    public int drain() {
        return RepeatedRounds.drain(this::runOnce);
    }

    /** Moves up to {@link BillingStateSettings#batchSize()} customers to their state now; returns how many. */
    public int runOnce() {
        Instant now = clock.instant();
        List<BillingStateChange> moved =
                jdbi.inTransaction(handle -> changes.advance(handle, now, settings.batchSize()));
        if (!moved.isEmpty()) {
            relay.wakeUp();
            LOG.info("{} customers changed billing state", moved.size());
        }
        return moved.size();
    }
}
