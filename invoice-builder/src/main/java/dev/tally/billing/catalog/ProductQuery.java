package dev.tally.billing.catalog;

/**
 * The filters of a product list, each ignored when null: one {@code type}, active or inactive
 * products, one feature key (at most one product, the metered product of that feature).
 */
public record ProductQuery(String type, Boolean active, String featureKey) {}
