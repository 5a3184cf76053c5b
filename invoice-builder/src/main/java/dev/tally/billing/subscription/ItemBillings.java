package dev.tally.billing.subscription;

import dev.tally.billing.cycle.ItemBilling;
import dev.tally.billing.rating.BillingTiming;
import dev.tally.billing.rating.PriceModel;

/** How an item at a price is billed, from the price's stored model and billing timing. */
final class ItemBillings {

    private ItemBillings() {}

    /**
     * A flat price billed {@code in_arrears} is {@link ItemBilling#FLAT_IN_ARREARS}, any other flat price
     * {@link ItemBilling#FLAT_IN_ADVANCE} (the default for flat fees); every usage model {@link
     * ItemBilling#USAGE}.
     */
    static ItemBilling of(String model, String billingTiming) {
        PriceModel.Kind kind = PriceModel.Kind.fromWireName(model)
                .orElseThrow(() -> new IllegalStateException("a stored price of unknown model " + model));
        if (kind.ratesUsage()) {
            return ItemBilling.USAGE;
        }
        return BillingTiming.fromWireName(billingTiming).orElse(BillingTiming.IN_ADVANCE) == BillingTiming.IN_ARREARS
                ? ItemBilling.FLAT_IN_ARREARS
                : ItemBilling.FLAT_IN_ADVANCE;
    }
}
