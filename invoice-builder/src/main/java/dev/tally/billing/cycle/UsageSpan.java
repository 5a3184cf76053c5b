package dev.tally.billing.cycle;

/**
 * A part of {@code period} in which the usage of item {@code itemId} is billed at {@code priceId}: not
 * during a trial, not after the cancellation, not while the item is not held. A usage price that changes
 * inside a period splits the period into one span per price.
 */
public record UsageSpan(String itemId, String priceId, BillingPeriod period, TimeSpan span) {}
