package dev.tally.billing.catalog;

/** A billable feature: usage events name it by {@code featureKey}. */
public record Product(String id, String organizationId, boolean livemode, String featureKey, String name) {}
