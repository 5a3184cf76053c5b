package dev.tally.ingest.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One event that passed every check, as the client sent it.
 *
 * @param id the client's idempotency key, or null when the client sent none
 * @param customer the organization's own customer id
 * @param feature the feature (meter) key
 * @param quantity exact, non-negative, at scale 9
 * @param occurredAt when the usage happened, or null for "now"
 * @param properties string properties, never null
 */
public record EventInput(
        String id,
        String customer,
        String feature,
        BigDecimal quantity,
        Instant occurredAt,
        Map<String, String> properties) {}
