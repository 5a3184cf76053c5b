package dev.tally.metering.topology;

import java.math.BigDecimal;

/**
 * What one event brings to a window under the window's definition: a decimal value (SUM, MIN,
 * MAX, LATEST; null for COUNT and UNIQUE_COUNT), a distinct value (UNIQUE_COUNT only), and its
 * time and id (LATEST orders by them). A retraction takes exactly this back out.
 */
record Contribution(BigDecimal value, String distinct, long occurredAt, String eventId) {}
