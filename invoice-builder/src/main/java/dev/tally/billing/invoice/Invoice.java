package dev.tally.billing.invoice;

import java.time.Instant;

/**
 * An invoice's header; its lines and payments are read separately. {@code subscriptionId} is set on the
 * invoices the billing cycle wrote for one subscription, null on the period close's.
 */
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
        Instant paidAt,
        String subscriptionId) {}
