package dev.tally.metering.topology;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.rules.DecimalText;
import java.math.BigDecimal;

/**
 * Reads what an event contributes under a definition. Ingest checks the same properties, but an
 * event that reaches the topic another way, or was checked against another meter, must be refused
 * here rather than counted as something it is not.
 */
final class ValueReader {

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
        // the project's one parser: it bounds digits, scale and exponent before building a number,
        // so "1e2147483647" is a dead letter, not an ArithmeticException that stops the stream
        try {
            return DecimalText.parse("property '" + property + "'", text, Decimals.QUANTITY_BOUNDS);
        } catch (DecimalText.DecimalTextException e) {
            throw new Rejection(Rejections.INVALID_PROPERTY, e.getMessage());
        }
    }
}
