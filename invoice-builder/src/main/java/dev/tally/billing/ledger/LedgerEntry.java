package dev.tally.billing.ledger;

import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One usage statement recorded once in the ledger: the WHOLE window {@code windowKey} at
 * {@code revision} (a higher revision of the same window supersedes it), under
 * {@code aggregation}. {@code latestAt} is set for LATEST, {@code distinctValues} for UNIQUE_COUNT.
 * Billed when {@code invoiceLineId} is set.
 */
public record LedgerEntry(
        long id,
        String aggregateId,
        String windowKey,
        String organizationId,
        boolean livemode,
        String customer,
        String feature,
        Instant windowStart,
        Instant windowEnd,
        BigDecimal quantity,
        long eventCount,
        String kind,
        Aggregation aggregation,
        long revision,
        Instant latestAt,
        List<String> distinctValues,
        Instant recordedAt,
        String invoiceLineId) {}
