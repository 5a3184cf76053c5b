package dev.tally.billing.rating;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a price charges, immutable: the rating parameters of one price (or price version), without
 * its ids and product. Built from request input by {@link PriceValidator}; rated by {@link
 * PriceRater}. Component names are the JSON fields' ({@code model}'s parameters sit in {@link
 * #model()}).
 *
 * @param currency the ISO 4217 code the amounts are in
 * @param model how a quantity becomes an amount, with that model's parameters
 * @param freeUnits usage models only: units free in each period, taken off the quantity before it is
 *     rated; null when none
 * @param minimumAmount usage models only: the least a period costs, null when none. It applies to
 *     <em>every</em> rated period, zero usage included, as Lago's minimum commitment does: a customer
 *     subscribed to the price for a period owes at least this for it
 * @param maximumAmount usage models only: the most a period costs, null when none
 * @param interval the unit of the period; null only for a one-time flat fee
 * @param intervalCount how many intervals make one period (1 to {@link Interval#maxCount()}); null
 *     exactly when {@code interval} is
 * @param billingTiming when a period is invoiced; usage is always {@link BillingTiming#IN_ARREARS}
 */
public record PriceDefinition(
        String currency,
        PriceModel model,
        BigDecimal freeUnits,
        BigDecimal minimumAmount,
        BigDecimal maximumAmount,
        Interval interval,
        Integer intervalCount,
        BillingTiming billingTiming) {

    public PriceDefinition {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(billingTiming, "billingTiming");
        Invariants.nonNegativeOrNull("freeUnits", freeUnits);
        Invariants.nonNegativeOrNull("minimumAmount", minimumAmount);
        Invariants.nonNegativeOrNull("maximumAmount", maximumAmount);
        boolean usage = model.kind().ratesUsage();
        Invariants.require(
                usage || (freeUnits == null && minimumAmount == null && maximumAmount == null),
                "freeUnits, minimumAmount and maximumAmount belong to usage models only");
        Invariants.require(
                minimumAmount == null || maximumAmount == null || minimumAmount.compareTo(maximumAmount) <= 0,
                "minimumAmount must not exceed maximumAmount");
        Invariants.require((interval == null) == (intervalCount == null), "intervalCount goes with interval");
        Invariants.require(
                interval == null || (intervalCount >= 1 && intervalCount <= interval.maxCount()),
                "intervalCount must be from 1 to " + (interval == null ? 0 : interval.maxCount()));
        Invariants.require(!usage || interval != null, "a usage price is rated per period: it needs an interval");
        Invariants.require(!usage || billingTiming == BillingTiming.IN_ARREARS, "usage is billed in arrears");
        Invariants.require(
                interval != null || billingTiming == BillingTiming.IN_ADVANCE, "a one-time fee is billed in advance");
    }

    /** Whether the price is billed every period (false for a one-time flat fee). */
    public boolean isRecurring() {
        return interval != null;
    }
}
