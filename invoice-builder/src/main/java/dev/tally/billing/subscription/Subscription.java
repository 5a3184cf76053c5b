package dev.tally.billing.subscription;

import dev.tally.billing.cycle.BillingInterval;
import dev.tally.billing.cycle.Cancellation;
import dev.tally.billing.cycle.ItemChange;
import dev.tally.billing.cycle.SubscriptionFacts;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A subscription as {@code billing.subscriptions} stores it (its items are a history apart, {@link
 * ItemRecord}). {@code cancelAt} is when it ends once cancelled (for a cancel at period end, the end of
 * the period in which it was asked), {@code canceledAt} when the cancellation was asked; both null while
 * not cancelled. {@code version} starts at 1 and grows by one with every change.
 */
public record Subscription(
        String id,
        String organizationId,
        boolean livemode,
        String customerId,
        String customerExternalId,
        String currency,
        String interval,
        int intervalCount,
        Instant startAt,
        Instant billingAnchor,
        Instant trialEnd,
        Instant cancelAt,
        boolean cancelAtPeriodEnd,
        Instant canceledAt,
        String timeZone,
        long version,
        Instant createdAt) {

    public BillingInterval billingInterval() {
        return BillingInterval.of(interval, intervalCount);
    }

    /** The cancellation as the timeline reads it: at period end, the instant it was asked; else its end. */
    public Cancellation cancellation() {
        if (cancelAtPeriodEnd) {
            return Cancellation.atPeriodEnd(canceledAt);
        }
        return cancelAt == null ? null : Cancellation.at(cancelAt);
    }

    /** The facts of this subscription with {@code items} as its items' history. */
    public SubscriptionFacts facts(List<ItemChange> items) {
        return new SubscriptionFacts(
                startAt, billingAnchor, trialEnd, ZoneId.of(timeZone), billingInterval(), items, cancellation());
    }
}
