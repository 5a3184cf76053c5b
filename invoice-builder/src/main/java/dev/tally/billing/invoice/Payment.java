package dev.tally.billing.invoice;

import java.math.BigDecimal;
import java.time.Instant;

/** A Stellar transaction that paid (part of) an invoice, recorded once. */
public record Payment(
        String invoiceId,
        String transactionHash,
        BigDecimal amount,
        String assetCode,
        String assetIssuer,
        String sourceAccount,
        Instant paidAt) {}
