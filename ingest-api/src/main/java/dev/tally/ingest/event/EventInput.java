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
 * @param retracts for a retraction, the id of the earlier event it cancels; null for usage
 */
public record EventInput(
        String id,
        String customer,
        String feature,
        BigDecimal quantity,
        Instant occurredAt,
        Map<String, String> properties,
        String retracts) {

    /** Usage (not a retraction). */
    public EventInput(
            String id,
            String customer,
            String feature,
            BigDecimal quantity,
            Instant occurredAt,
            Map<String, String> properties) {
        this(id, customer, feature, quantity, occurredAt, properties, null);
    }

    /** Whether this event cancels an earlier one. */
    public boolean isRetraction() {
        return retracts != null;
    }
}
