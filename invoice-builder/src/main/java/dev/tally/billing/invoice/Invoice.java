package dev.tally.billing.invoice;

import java.time.Instant;

/** An invoice's header; its lines and payments are read separately. */
public record Invoice(
        String id,
        String number,
        String organizationId,
        boolean livemode,
        String customerId,
        String customerExternalId,
        String currency,
        Instant periodStart,
        Instant periodEnd,
        String status,
        long totalMinor,
        Instant createdAt,
        Instant finalizedAt,
        Instant paidAt) {}
