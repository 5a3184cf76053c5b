package dev.tally.billing.planning;

import dev.tally.billing.cycle.SubscriptionTimeline;
import java.time.Instant;

/**
 * When a subscription should be planned again after its facts changed (a creation, an item change, a
 * cancellation). Pure.
 */
public final class NextPlan {

    private NextPlan() {}

    /**
     * When to plan a subscription whose facts changed from {@code at} on (a creation: from its start): the
     * first instant at or after {@code at} at which its new facts make a line billable, since a change only
     * makes lines billable from when it takes effect; {@code at} itself when none ever will, so that lines
     * the change took away (a backdated cancellation) are adjusted. A subscription already due sooner stays
     * due sooner.
     */
    public static Instant afterChange(SubscriptionTimeline timeline, Instant at) {
        return InvoicePlanner.nextDueAt(timeline, at.minusSeconds(1)).orElse(at);
    }
}
