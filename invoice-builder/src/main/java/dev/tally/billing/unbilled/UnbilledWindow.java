package dev.tally.billing.unbilled;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A window of usage in the ledger, at its latest revision (statement {@code aggregateId}), that no
 * invoice will bill, and why. {@code customer} is the external id the usage events named.
 */
public record UnbilledWindow(
        String aggregateId,
        String customer,
        String feature,
        Instant windowStart,
        Instant windowEnd,
        BigDecimal quantity,
        long eventCount,
        UnbilledReason reason) {}
