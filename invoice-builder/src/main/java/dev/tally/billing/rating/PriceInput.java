package dev.tally.billing.rating;

import java.util.List;

/**
 * A price definition as a request states it, unchecked: every field as the JSON gives it (decimals as
 * strings, absent as null). {@link PriceValidator} turns it into a {@link PriceDefinition} or says
 * everything that is wrong with it.
 */
public record PriceInput(
        String currency,
        String model,
        String flatAmount,
        String unitAmount,
        List<TierInput> tiers,
        String packageSize,
        String packageAmount,
        String rate,
        String fixedAmountPerEvent,
        String freeUnits,
        String minimumAmount,
        String maximumAmount,
        String interval,
        Integer intervalCount,
        String billingTiming) {

    /** One element of {@code tiers}; {@code upTo} null is the open last tier. */
    public record TierInput(String upTo, String unitAmount, String flatAmount) {}
}
