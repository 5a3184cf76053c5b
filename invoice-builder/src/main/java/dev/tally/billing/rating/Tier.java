package dev.tally.billing.rating;

import java.math.BigDecimal;

/**
 * One tier of a {@code graduated} or {@code volume} price.
 *
 * @param upTo the last quantity inside the tier (inclusive, as in Stripe: with {@code upTo} 1000, a
 *     quantity of exactly 1000 is still in this tier); null for the last, open tier
 * @param unitAmount the price of each unit rated in this tier; null when the tier has only a flat fee
 * @param flatAmount added once when usage reaches the tier (zero usage is in the first tier); null
 *     when the tier has none
 */
public record Tier(BigDecimal upTo, BigDecimal unitAmount, BigDecimal flatAmount) {

    public Tier {
        Invariants.require(upTo == null || upTo.signum() > 0, "upTo must be positive");
        Invariants.nonNegativeOrNull("unitAmount", unitAmount);
        Invariants.nonNegativeOrNull("flatAmount", flatAmount);
        Invariants.require(unitAmount != null || flatAmount != null, "a tier needs a unitAmount or a flatAmount");
    }

    /** Whether this is the open tier (no upper bound). */
    public boolean isOpen() {
        return upTo == null;
    }
}
