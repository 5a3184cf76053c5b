package dev.tally.billing.subscription;

import dev.tally.billing.BillingException;
import dev.tally.billing.cycle.BillingInterval;

/**
 * What every item price of a subscription must be (pure): a recurring price of an active product, in the
 * subscription's one currency and interval; a usage price takes no quantity other than 1.
 */
final class ItemRules {

    private ItemRules() {}

    /**
     * Whether {@code price} may be subscribed to at {@code quantity} (null when not given): its product must
     * be active, the price recurring (a one-time fee belongs on an invoice, not in a subscription's
     * periods), and a usage price is rated by usage, so its quantity is absent or 1.
     */
    static void requireSubscribable(RequestedItem item, SubscribablePrice price, Long quantity) {
        if (!price.productActive()) {
            throw BillingException.invalid(
                    item.field("price"),
                    "product " + price.productId() + " of price " + price.id() + " is not active: it takes no new"
                            + " subscriptions");
        }
        if (price.oneTime()) {
            throw BillingException.invalid(
                    item.field("price"),
                    "price " + price.id() + " is a one-time fee; a subscription's items are billed every period");
        }
        if (price.ratesFeature() && quantity != null && quantity != 1) {
            throw BillingException.invalid(
                    item.field("quantity"),
                    "price " + price.id() + " rates usage of " + price.featureKey() + ", not a quantity: leave"
                            + " quantity out (or give 1)");
        }
    }

    /** Whether {@code price} is in the subscription's {@code currency} and bills every {@code interval}. */
    static void requireTerms(RequestedItem item, SubscribablePrice price, String currency, BillingInterval interval) {
        if (!price.currency().equals(currency)) {
            throw BillingException.invalid(
                    item.field("price"),
                    "price " + price.id() + " is in " + price.currency() + "; every item of the subscription is in "
                            + currency);
        }
        if (!price.recurrence().equals(interval)) {
            throw BillingException.invalid(
                    item.field("price"),
                    "price " + price.id() + " bills " + price.recurrence() + "; every item of the subscription bills "
                            + interval);
        }
    }
}
