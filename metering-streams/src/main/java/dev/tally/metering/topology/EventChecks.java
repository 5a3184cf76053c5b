package dev.tally.metering.topology;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.rules.Identifiers;
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
        // the bound ingest parses quantities with: beyond it a price times the quantity may not fit
        if (event.getQuantity().precision() - event.getQuantity().scale()
                > Decimals.QUANTITY_BOUNDS.maxIntegerDigits()) {
            return "quantity must be below 10^" + Decimals.QUANTITY_BOUNDS.maxIntegerDigits();
        }
        if (event.getOccurredAt() == null) {
            return "occurredAt is missing";
        }
        return null;
    }

    private static String identifierProblem(UsageEvent event) {
        // checked one by one, not through a table: this runs for every event
        String problem = identifierProblem("eventId", event.getEventId(), true);
        if (problem == null) {
            problem = identifierProblem("organizationId", event.getOrganizationId(), false);
        }
        // customers and features by the project's one rule, so nothing is counted that billing refuses
        if (problem == null) {
            problem = event.getCustomerId() == null
                    ? "customerId is missing"
                    : Identifiers.customerProblem("customerId", event.getCustomerId());
        }
        if (problem == null) {
            problem = event.getFeature() == null
                    ? "feature is missing"
                    : Identifiers.featureProblem("feature", event.getFeature());
        }
        return problem;
    }

    private static String identifierProblem(String field, String value, boolean mayHoldSeparator) {
        if (value == null || value.isBlank()) {
            return field + " is missing";
        }
        // the event id may hold the separator: it is always the last part of any key it is in
        if (!mayHoldSeparator && value.indexOf(Keys.SEPARATOR) >= 0) {
            return field + " contains '" + Keys.SEPARATOR + "'";
        }
        return null;
    }
}
