package dev.tally.metering.topology;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Keys;

/**
 * The checks an event must pass to be metered. Ingest already enforces them; a record that reaches
 * the topic any other way and fails them goes to usage-rejected rather than into a bill.
 */
final class EventChecks {

    private EventChecks() {}

    /** Why {@code event} cannot be metered, or null when it can. */
    static String problem(UsageEvent event) {
        if (event == null) {
            return "no value (tombstone)";
        }
        String identifiers = identifierProblem(event);
        if (identifiers != null) {
            return identifiers;
        }
        if (event.getQuantity() == null || event.getQuantity().signum() < 0) {
            return "quantity must be zero or positive";
        }
        if (event.getQuantity().scale() > Decimals.QUANTITY_SCALE) {
            return "quantity has more than " + Decimals.QUANTITY_SCALE + " decimal places";
        }
        if (event.getOccurredAt() == null) {
            return "occurredAt is missing";
        }
        return null;
    }

    private static String identifierProblem(UsageEvent event) {
        String[][] named = {
            {"eventId", event.getEventId()},
            {"organizationId", event.getOrganizationId()},
            {"customerId", event.getCustomerId()},
            {"feature", event.getFeature()}
        };
        for (String[] field : named) {
            if (field[1] == null || field[1].isBlank()) {
                return field[0] + " is missing";
            }
            // the event id may hold the separator: it is always the last part of any key it is in
            if (!"eventId".equals(field[0]) && field[1].indexOf(Keys.SEPARATOR) >= 0) {
                return field[0] + " contains '" + Keys.SEPARATOR + "'";
            }
        }
        return null;
    }
}
