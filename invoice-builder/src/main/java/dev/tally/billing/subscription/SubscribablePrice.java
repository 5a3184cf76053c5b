package dev.tally.billing.subscription;

import dev.tally.billing.catalog.Product;
import dev.tally.billing.cycle.BillingInterval;
import dev.tally.billing.cycle.ItemBilling;

/**
 * What a subscription needs to know of a price: its product (type, whether it is active, the feature it
 * rates), currency, model, recurrence ({@code interval} null for a one-time fee) and billing timing.
 */
public record SubscribablePrice(
        String id,
        String productId,
        String productType,
        boolean productActive,
        String featureKey,
        String currency,
        String model,
        String interval,
        Integer intervalCount,
        String billingTiming) {

    public ItemBilling billing() {
        return ItemBillings.of(model, billingTiming);
    }

    /** Whether the price is a fee charged once, not per period. */
    public boolean oneTime() {
        return interval == null;
    }

    /** The price's period; only for a recurring price. */
    public BillingInterval recurrence() {
        return BillingInterval.of(interval, intervalCount);
    }

    /** Whether the price rates the usage of a feature (its product is metered). */
    public boolean ratesFeature() {
        return Product.METERED.equals(productType) && featureKey != null;
    }
}
