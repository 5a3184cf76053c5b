package dev.tally.billing.catalog;

import java.time.Instant;

/** A customer billed for a product's usage at a price. */
public record Subscription(
        String id,
        String organizationId,
        boolean livemode,
        String customerId,
        String customerExternalId,
        String priceId,
        String productId,
        Instant createdAt) {}
