package dev.tally.metering.topology;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.UsageEvent;
import java.math.BigDecimal;

/**
 * Reads what an event contributes under a definition. Ingest checks the same properties, but an
 * event that reaches the topic another way, or was checked against another meter, must be refused
 * here rather than counted as something it is not.
 */
final class ValueReader {

    /** Digits before the point a value may have and still fit the wire's precision 38 at scale 9. */
    private static final int MAX_INTEGER_DIGITS = 38 - Decimals.QUANTITY_SCALE;

    private ValueReader() {}

    /**
     * The event's contribution.
     *
     * @throws Rejection {@code missing_property} or {@code invalid_property}
     */
    static Contribution read(UsageEvent event, Definition definition) {
        long occurredAt = event.getOccurredAt().toEpochMilli();
        String eventId = event.getEventId();
        Aggregation aggregation = definition.aggregation();
        String property = definition.valueProperty();
        if (aggregation == Aggregation.COUNT) {
            return new Contribution(null, null, occurredAt, eventId);
        }
        if (aggregation == Aggregation.UNIQUE_COUNT) {
            if (property == null) {
                throw new Rejection(Rejections.MISSING_PROPERTY, "the UNIQUE_COUNT meter names no property");
            }
            return new Contribution(null, required(event, property), occurredAt, eventId);
        }
        BigDecimal value = property == null ? event.getQuantity() : decimal(property, required(event, property));
        return new Contribution(Decimals.quantity(value), null, occurredAt, eventId);
    }

    private static String required(UsageEvent event, String property) {
        String text =
                event.getProperties() == null ? null : event.getProperties().get(property);
        if (text == null) {
            throw new Rejection(Rejections.MISSING_PROPERTY, "the meter reads property '" + property + "'");
        }
        return text;
    }

    private static BigDecimal decimal(String property, String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new Rejection(Rejections.INVALID_PROPERTY, "property '" + property + "' is not a decimal");
        }
        BigDecimal exact = value.stripTrailingZeros();
        if (value.signum() < 0
                || exact.scale() > Decimals.QUANTITY_SCALE
                || exact.precision() - exact.scale() > MAX_INTEGER_DIGITS) {
            throw new Rejection(
                    Rejections.INVALID_PROPERTY,
                    "property '" + property + "' must be a non-negative decimal with at most " + Decimals.QUANTITY_SCALE
                            + " decimal places");
        }
        return exact;
    }
}
