package dev.tally.billing.subscription;

import dev.tally.billing.cycle.ItemChange;
import java.time.Instant;

/**
 * One row of {@code billing.subscription_item_changes}, with what its price is: from {@code at} on, item
 * {@code itemId} stands at {@code priceId} × {@code quantity}, or (price null) is removed. {@code
 * sequence} orders the changes as they were recorded.
 */
public record ItemRecord(
        String subscriptionId,
        String itemId,
        Instant at,
        String priceId,
        long quantity,
        long sequence,
        String productId,
        String featureKey,
        String model,
        String billingTiming) {

    /** The change as the pure model of a subscription reads it. */
    public ItemChange change() {
        return priceId == null
                ? ItemChange.removal(at, itemId)
                : ItemChange.set(at, itemId, priceId, ItemBillings.of(model, billingTiming), quantity);
    }
}
