package dev.tally.billing.invoice;

import java.math.BigDecimal;

/**
 * One line of an invoice. Usage and adjustment lines name a price, the feature of usage and the
 * period whose usage (or fee) they bill ({@code usagePeriod}; an adjustment's is the earlier period
 * or span it restates, and {@code previousQuantity} what was billed for it before: its {@code
 * quantity} is the difference). Credit lines have no price: quantity 1 at a unit amount equal to
 * the amount. Usage and its adjustments are rated by their price's model ({@link
 * dev.tally.billing.rating.PriceRater}), by the period close and the billing cycle alike: a usage
 * line's {@code amountMinor} is its period's (or span's) rated amount, an adjustment's the rated
 * amount of the period as it stands now less what its earlier lines billed. A line of a
 * subscription ({@code subscriptionLine} not null) says what it bills in its {@code description};
 * its {@code unitAmount} is a flat fee's amount per unit, else null. A line of the close shows the
 * unit amount of a per_unit price, and none for the models without one (tiers, packages…).
 *
 * @param eventCount the events behind a usage line's or adjustment's usage, as it stands now (the whole
 *     period's or span's, not a difference); 0 on a subscription's flat fees; null on credit lines and on
 *     the close's lines written before the close recorded it
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
        Long eventCount,
        String description,
        SubscriptionLine subscriptionLine) {

    /** A subscription's line: its subscription, its planner key (unique per subscription) and the item it bills. */
    public record SubscriptionLine(String subscriptionId, String key, String itemId) {}

    /** A credit line (or a line without events, description or subscription). */
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
                null,
                null);
    }
}
