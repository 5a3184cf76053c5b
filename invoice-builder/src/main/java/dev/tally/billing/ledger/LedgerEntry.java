package dev.tally.billing.ledger;

import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One usage statement recorded once in the ledger: the WHOLE window {@code windowKey} at
 * {@code revision} (a higher revision of the same window supersedes it), under
 * {@code aggregation}. {@code latestAt} is set for LATEST; the values of a UNIQUE_COUNT window are
 * in {@link WindowValuesDao} (the changes each revision made), not on its row. Billed when
 * {@code invoiceLineId} is set.
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
        Instant recordedAt,
        String invoiceLineId) {}
