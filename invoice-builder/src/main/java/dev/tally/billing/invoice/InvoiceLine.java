package dev.tally.billing.invoice;

import java.math.BigDecimal;

/**
 * One line of an invoice. Usage and adjustment lines name a price, the feature of usage and the
 * period whose usage (or fee) they bill ({@code usagePeriod}; an adjustment's is the earlier period
 * or span it restates, and {@code previousQuantity} what was billed for it before: its {@code
 * quantity} is the difference). Credit lines have no price: quantity 1 at a unit amount equal to
 * the amount. A line of the period close has {@code amountMinor} = quantity × unit amount, rounded
 * HALF_EVEN to the currency's minor unit; a line of a subscription ({@code subscriptionLine} not
 * null) is rated by the invoice planner (tiers, prorations) and says so in its {@code description},
 * its {@code unitAmount} is a flat fee's amount per unit, else null.
 *
 * @param description null for the close's lines, whose description the invoice view composes
 * @param subscriptionLine what only a subscription's line has; null on the close's lines and on credit lines
 */
public record InvoiceLine(
        String id,
        String invoiceId,
        LineKind kind,
        String priceId,
        String featureKey,
        BigDecimal quantity,
        BigDecimal unitAmount,
        long amountMinor,
        UsagePeriod usagePeriod,
        BigDecimal previousQuantity,
        String description,
        SubscriptionLine subscriptionLine) {

    /**
     * A subscription's line: its subscription, its planner key (unique per subscription), the item it bills
     * and the events behind its usage (0 for flat fees).
     */
    public record SubscriptionLine(String subscriptionId, String key, String itemId, long eventCount) {}

    /** A line of the period close or a credit line. */
    public InvoiceLine(
            String id,
            String invoiceId,
            LineKind kind,
            String priceId,
            String featureKey,
            BigDecimal quantity,
            BigDecimal unitAmount,
            long amountMinor,
            UsagePeriod usagePeriod,
            BigDecimal previousQuantity) {
        this(
                id,
                invoiceId,
                kind,
                priceId,
                featureKey,
                quantity,
                unitAmount,
                amountMinor,
                usagePeriod,
                previousQuantity,
                null,
                null);
    }
}
