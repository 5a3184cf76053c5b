package dev.tally.billing.cycle;

import dev.tally.billing.BillingException;
import java.time.Instant;
import java.util.Objects;

/**
 * From {@code at} on, item {@code itemId} of a subscription stands at {@code priceId} × {@code quantity}
 * (seats for a licensed flat price; ignored for usage), or is removed. An item's history is its changes in
 * order of time: adding, upgrading, downgrading, changing the quantity and removing are all changes.
 *
 * @param priceId null on a removal
 * @param billing null on a removal
 */
public record ItemChange(Instant at, String itemId, String priceId, ItemBilling billing, long quantity) {

    public ItemChange {
        Objects.requireNonNull(at, "at");
        if (itemId == null || itemId.isBlank()) {
            throw BillingException.invalid("items", "every item needs an id");
        }
        if ((priceId == null) != (billing == null)) {
            throw new IllegalArgumentException("a price and its billing come together: " + priceId + ", " + billing);
        }
        if (priceId != null && priceId.isBlank()) {
            throw BillingException.invalid("items", "item " + itemId + " needs a price");
        }
        if (quantity < 0) {
            throw BillingException.invalid("items", "item " + itemId + " has a negative quantity");
        }
    }

    /** Item {@code itemId} at {@code priceId} × {@code quantity} from {@code at}. */
    public static ItemChange set(Instant at, String itemId, String priceId, ItemBilling billing, long quantity) {
        return new ItemChange(at, itemId, Objects.requireNonNull(priceId, "priceId"), billing, quantity);
    }

    /** Item {@code itemId} removed from {@code at}. */
    public static ItemChange removal(Instant at, String itemId) {
        return new ItemChange(at, itemId, null, null, 0);
    }

    public boolean isRemoval() {
        return priceId == null;
    }
}
