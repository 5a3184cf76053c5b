package dev.tally.billing.invoice;

import java.math.BigDecimal;

/**
 * One line of an invoice. Usage and adjustment lines name a subscribed price, its feature and the
 * period whose usage they bill ({@code usagePeriod}; an adjustment's is the earlier period it
 * restates, and {@code previousQuantity} what was billed for it before). Credit lines have no
 * price: quantity 1 at a unit amount equal to the amount. Always {@code amountMinor} = quantity ×
 * unit amount, rounded HALF_EVEN to the currency's minor unit.
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
        BigDecimal previousQuantity) {}
