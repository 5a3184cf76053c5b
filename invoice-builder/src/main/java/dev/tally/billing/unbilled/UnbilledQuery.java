package dev.tally.billing.unbilled;

import java.time.Instant;

/**
 * The filters of the unbilled usage, each ignored when null: one customer (external id), one
 * feature, windows starting at or after {@code from} and before {@code to}.
 */
public record UnbilledQuery(String customer, String feature, Instant from, Instant to) {}
