package dev.tally.billing.planning;

import dev.tally.billing.cycle.BillingPeriod;
import dev.tally.billing.cycle.ExactAmount;
import dev.tally.billing.cycle.ProrationFraction;
import dev.tally.billing.rating.RatedPart;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What the facts say one key should bill in all, as of the plan: the line it would be if nothing were
 * invoiced yet.
 *
 * @param period the billing period of the span; null for a key the facts no longer imply
 * @param billableAt when the line became billable (it orders the plan)
 */
record Target(
        LineKey key,
        String featureKey,
        BigDecimal quantity,
        long eventCount,
        BillingPeriod period,
        ProrationFraction fraction,
        ExactAmount amount,
        long amountMinor,
        List<RatedPart> breakdown,
        Instant billableAt) {

    /** An invoiced key the facts no longer imply (a late change replaced it): it should bill nothing. */
    static Target nothing(LineKey key, String featureKey) {
        return new Target(
                key,
                featureKey,
                BigDecimal.ZERO,
                0,
                null,
                null,
                new ExactAmount(BigDecimal.ZERO, 1),
                0,
                List.of(),
                key.span().from());
    }

    /** Whether the line would say nothing: no quantity, no events, no amount. */
    boolean isNothing() {
        return quantity.signum() == 0 && eventCount == 0 && amountMinor == 0;
    }

    /** Whether what the key's invoiced lines stand at differs from this in quantity, events or amount. */
    boolean differsFrom(Standing invoiced) {
        return quantity.compareTo(invoiced.quantity()) != 0
                || eventCount != invoiced.eventCount()
                || amountMinor != invoiced.amountMinor();
    }
}
