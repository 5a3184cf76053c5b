package dev.tally.billing.invoicing;

import dev.tally.billing.BillingOutboxRelay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * The billing cycle worker on a finality source of the caller's, for programs outside this package (the
 * benchmark): it does not schedule rounds of its own, the caller runs them with {@link
 * BillingCycleWorker#runOnce()}.
 */
public final class CycleWorkers {

    private CycleWorkers() {}

    /** A worker billing as of {@code min(now, finalThrough − margin)}, rounds run by the caller. */
    public static BillingCycleWorker unscheduled(
            Jdbi jdbi,
            SubscriptionInvoicing invoicing,
            BillingOutboxRelay relay,
            Supplier<Optional<Instant>> finalThrough,
            Duration margin,
            BillingCycleSettings settings,
            Clock clock) {
        return new BillingCycleWorker(jdbi, invoicing, relay, finalThrough, margin, settings, clock, false);
    }
}
