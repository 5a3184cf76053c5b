package dev.tally.billing.invoice;

import java.math.BigDecimal;
import java.time.Instant;

/** How to pay an invoice on Stellar, as payment-settler requested it. */
public record PaymentRequest(
        String invoiceId,
        String payUri,
        String memo,
        BigDecimal amount,
        String assetCode,
        String assetIssuer,
        String destination,
        Instant requestedAt) {}
