package dev.tally.billing.invoice;

import java.math.BigDecimal;

/** One line of an invoice: a subscribed price, the quantity of its feature and the amount in minor units. */
public record InvoiceLine(
        String id,
        String invoiceId,
        String priceId,
        String featureKey,
        BigDecimal quantity,
        BigDecimal unitAmount,
        long amountMinor) {}
