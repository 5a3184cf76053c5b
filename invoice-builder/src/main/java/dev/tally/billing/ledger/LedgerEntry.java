package dev.tally.billing.ledger;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One usage aggregate (a closed window or a correction) recorded once in the ledger; billed when
 * {@code invoiceLineId} is set.
 */
public record LedgerEntry(
        long id,
        String aggregateId,
        String organizationId,
        boolean livemode,
        String customer,
        String feature,
        Instant windowStart,
        Instant windowEnd,
        BigDecimal quantity,
        long eventCount,
        String kind,
        Instant recordedAt,
        String invoiceLineId) {}
