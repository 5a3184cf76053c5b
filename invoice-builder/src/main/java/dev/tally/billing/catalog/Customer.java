package dev.tally.billing.catalog;

import java.time.Instant;

/** A customer of an organization, known to its apps by {@code externalId} (the id in usage events). */
public record Customer(
        String id, String organizationId, boolean livemode, String externalId, String name, Instant createdAt) {}
