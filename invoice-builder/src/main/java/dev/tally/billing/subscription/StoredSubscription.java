package dev.tally.billing.subscription;

import dev.tally.billing.cycle.SubscriptionFacts;
import dev.tally.billing.cycle.SubscriptionTimeline;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A subscription and its items' history as stored, in the order they were recorded. */
public record StoredSubscription(Subscription subscription, List<ItemRecord> items) {

    public StoredSubscription {
        items = items.stream()
                .sorted(Comparator.comparingLong(ItemRecord::sequence))
                .toList();
    }

    /** The subscription as the pure model reads it: its facts, every item change with its price's billing. */
    public SubscriptionFacts facts() {
        return subscription.facts(items.stream().map(ItemRecord::change).toList());
    }

    public SubscriptionTimeline timeline() {
        return SubscriptionTimeline.of(facts());
    }

    public String id() {
        return subscription.id();
    }

    /** When the latest item change takes effect; a new change may not come before it (histories only grow). */
    public Instant latestChangeAt() {
        return items.stream().map(ItemRecord::at).max(Comparator.naturalOrder()).orElse(subscription.startAt());
    }

    /** A recorded change at {@code priceId}, for what its price is (product, feature). */
    public Optional<ItemRecord> recordOf(String priceId) {
        return items.stream().filter(item -> priceId.equals(item.priceId())).findFirst();
    }
}
