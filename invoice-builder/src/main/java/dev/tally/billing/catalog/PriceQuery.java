package dev.tally.billing.catalog;

/**
 * The filters of a price list, each ignored when null: one product (its id, the reference already
 * resolved), one currency, one model, prices of active or of inactive products (a price has no
 * state of its own: it is immutable, and its product's {@code active} decides whether new
 * subscriptions may take it).
 */
public record PriceQuery(String productId, String currency, String model, Boolean active) {}
