package dev.tally.billing.planning;

import dev.tally.billing.cycle.TimeSpan;

/**
 * Where the planner reads usage: the caller answers from the ledger (the windows of the customer's
 * {@code featureKey} whose window start lies in {@code span}, at their latest revisions). The planner asks once
 * per usage span billable by its {@code asOf}, every time it plans, so that restated windows surface as
 * adjustments.
 */
@FunctionalInterface
public interface UsageSource {

    /** The usage of item {@code itemId} at {@code priceId} in {@code span}; {@link Usage#NONE} when there is none. */
    Usage usage(String itemId, String priceId, String featureKey, TimeSpan span);
}
