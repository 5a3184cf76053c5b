package dev.tally.ingest.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import dev.tally.schemas.Decimals;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads events from request bodies with Jackson's streaming parser and checks every field on the
 * way (no data binding, no Bean Validation: both cost more than the rest of the hot path).
 *
 * <p>A body that is not JSON at all fails the whole request; inside a batch, each event that fails
 * a check becomes a {@link ParsedEvent.Rejected} and reading goes on with the next one.
 */
@Singleton
public final class EventReader {

    /** A retraction's quantity: zero, and ignored by metering (the contract). */
    private static final BigDecimal RETRACTION_QUANTITY = Decimals.quantity(BigDecimal.ZERO);

    private final FieldChecks checks;
    private final CloudEventReader cloudEvents;

    public EventReader(IngestSettings settings) {
        this.checks = new FieldChecks(settings);
        this.cloudEvents = new CloudEventReader(checks);
    }

    /**
     * Reads a body holding exactly one JSON object.
     *
     * @throws IngestException {@code invalid_json} or {@code invalid_type} when the body is not one object
     */
    public ParsedEvent readOne(byte[] body, EventShape shape, Instant now) {
        JsonBodies.requireUtf8(body);
        try (JsonParser parser = JsonBodies.FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IngestException(ErrorCode.INVALID_JSON, "the body is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new IngestException(ErrorCode.INVALID_TYPE, "the body must be a JSON object (one event)");
            }
            ParsedEvent event = readEvent(parser, shape, now);
            requireEnd(parser);
            return event;
        } catch (JsonProcessingException e) {
            throw JsonBodies.invalid(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a body holding a JSON array of event objects.
     *
     * @throws IngestException {@code invalid_json}, {@code invalid_type} or {@code too_many_events}
     */
    public List<ParsedEvent> readArray(byte[] body, EventShape shape, int maxEvents, Instant now) {
        JsonBodies.requireUtf8(body);
        try (JsonParser parser = JsonBodies.FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw new IngestException(ErrorCode.INVALID_TYPE, "the body must be a JSON array of events");
            }
            List<ParsedEvent> events = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (events.size() == maxEvents) {
                    throw tooMany(maxEvents);
                }
                if (token == JsonToken.START_OBJECT) {
                    events.add(readEvent(parser, shape, now));
                } else {
                    parser.skipChildren();
                    events.add(new ParsedEvent.Rejected(
                            null, new Violation(ErrorCode.INVALID_TYPE, "each event must be a JSON object", null)));
                }
            }
            requireEnd(parser);
            return events;
        } catch (JsonProcessingException e) {
            throw JsonBodies.invalid(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads newline-delimited JSON: one event object per non-blank line. A line that is not JSON
     * rejects that event only, since the next line's boundary is known.
     *
     * @throws IngestException {@code too_many_events}
     */
    public List<ParsedEvent> readLines(byte[] body, int maxEvents, Instant now) {
        List<ParsedEvent> events = new ArrayList<>();
        int start = 0;
        int line = 0;
        while (start < body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            line++;
            if (!isBlank(body, start, end)) {
                if (events.size() == maxEvents) {
                    throw tooMany(maxEvents);
                }
                events.add(readLine(body, start, end - start, line, now));
            }
            start = end + 1;
        }
        return events;
    }

    private ParsedEvent readLine(byte[] body, int offset, int length, int line, Instant now) {
        int malformed = Utf8.firstMalformed(body, offset, length, false);
        if (malformed >= 0) {
            return new ParsedEvent.Rejected(
                    null,
                    new Violation(
                            ErrorCode.INVALID_JSON,
                            "line " + line + " is not valid UTF-8 (at byte " + (malformed - offset) + " of the line)",
                            null));
        }
        try (JsonParser parser = JsonBodies.FACTORY.createParser(body, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new ParsedEvent.Rejected(
                        null, new Violation(ErrorCode.INVALID_TYPE, "line " + line + " is not a JSON object", null));
            }
            ParsedEvent event = readEvent(parser, EventShape.TALLY, now);
            requireEnd(parser);
            return event;
        } catch (JsonProcessingException e) {
            return new ParsedEvent.Rejected(
                    null,
                    new Violation(
                            ErrorCode.INVALID_JSON, "line " + line + " is not valid JSON" + JsonBodies.where(e), null));
        } catch (IngestException e) {
            return new ParsedEvent.Rejected(null, Violation.of(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ParsedEvent readEvent(JsonParser parser, EventShape shape, Instant now) throws IOException {
        return shape == EventShape.TALLY ? readEvent(parser, now) : cloudEvents.read(parser, now);
    }

    /** Reads one event object; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    private ParsedEvent readEvent(JsonParser parser, Instant now) throws IOException {
        String id = null;
        String retracts = null;
        String customer = null;
        String feature = null;
        BigDecimal quantity = null;
        boolean quantityGiven = false;
        boolean propertiesGiven = false;
        Instant occurredAt = null;
        Map<String, String> properties = Map.of();
        IngestException rejection = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (rejection != null) {
                // Keep the id even past the first problem: the client matches results by it.
                if (id == null && "id".equals(name) && value == JsonToken.VALUE_STRING) {
                    id = parser.getText();
                }
                parser.skipChildren();
                continue;
            }
            try {
                switch (name) {
                    case "id" -> {
                        if (value != JsonToken.VALUE_NULL) {
                            id = string(parser, value, "id");
                            checks.id("id", id);
                        }
                    }
                    case "retracts" -> {
                        if (value != JsonToken.VALUE_NULL) {
                            retracts = string(parser, value, "retracts");
                            checks.retracts(retracts);
                        }
                    }
                    case "customer" -> {
                        customer = required(parser, value, "customer");
                        checks.customer("customer", customer);
                    }
                    case "feature" -> {
                        feature = required(parser, value, "feature");
                        checks.feature("feature", feature);
                    }
                    case "quantity" -> {
                        quantityGiven = value != JsonToken.VALUE_NULL;
                        quantity = FieldChecks.quantity("quantity", quantityText(parser, value, "quantity"));
                    }
                    case "timestamp" -> {
                        if (value != JsonToken.VALUE_NULL) {
                            occurredAt = checks.timestamp("timestamp", string(parser, value, "timestamp"), now);
                        }
                    }
                    case "properties" -> {
                        propertiesGiven = value != JsonToken.VALUE_NULL;
                        properties = properties(parser, value);
                    }
                    default -> parser.skipChildren();
                }
            } catch (IngestException e) {
                rejection = e;
                parser.skipChildren();
            }
        }
        if (retracts != null && rejection == null) {
            rejection = retraction(id, retracts, customer, feature, quantityGiven, propertiesGiven);
            quantity = RETRACTION_QUANTITY;
        } else if (rejection == null) {
            rejection = missing(customer, feature, quantity);
        }
        if (rejection != null) {
            return new ParsedEvent.Rejected(id, Violation.of(rejection));
        }
        return new ParsedEvent.Valid(new EventInput(id, customer, feature, quantity, occurredAt, properties, retracts));
    }

    private static IngestException missing(String customer, String feature, BigDecimal quantity) {
        String field =
                customer == null ? "customer" : feature == null ? "feature" : quantity == null ? "quantity" : null;
        return field == null ? null : new IngestException(ErrorCode.MISSING_FIELD, field + " is required", field);
    }

    /**
     * What is wrong with a retraction, or null. It names its target, customer and feature (they route
     * it to the target's partition, where metering checks they match) and nothing it would add:
     * a quantity or properties are refused rather than ignored, so that a client never believes
     * they counted.
     */
    private static IngestException retraction(
            String id,
            String retracts,
            String customer,
            String feature,
            boolean quantityGiven,
            boolean propertiesGiven) {
        if (quantityGiven) {
            return new IngestException(
                    ErrorCode.UNEXPECTED_FIELD, "a retraction carries no quantity; leave quantity out", "quantity");
        }
        if (propertiesGiven) {
            return new IngestException(
                    ErrorCode.UNEXPECTED_FIELD,
                    "a retraction carries no properties; leave properties out",
                    "properties");
        }
        if (retracts.equals(id)) {
            return new IngestException(
                    ErrorCode.INVALID_IDENTIFIER,
                    "an event cannot retract itself: give the retraction its own id",
                    "retracts");
        }
        String field = customer == null ? "customer" : feature == null ? "feature" : null;
        return field == null
                ? null
                : new IngestException(
                        ErrorCode.MISSING_FIELD,
                        field + " is required: it must be the retracted event's " + field,
                        field);
    }

    private static String required(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            throw new IngestException(ErrorCode.MISSING_FIELD, field + " is required", field);
        }
        return string(parser, value, field);
    }

    static String string(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new IngestException(ErrorCode.INVALID_TYPE, field + " must be a string", field);
        }
        return parser.getText();
    }

    /** The text of a quantity read from {@code field}: a JSON number or string, nothing else (no booleans). */
    static String quantityText(JsonParser parser, JsonToken value, String field) throws IOException {
        return switch (value) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_STRING -> parser.getText();
            case VALUE_NULL -> throw new IngestException(ErrorCode.MISSING_FIELD, field + " is required", field);
            default ->
                throw new IngestException(
                        ErrorCode.INVALID_TYPE, field + " must be a number or a decimal string", field);
        };
    }

    /** Reads the whole properties object before judging it, so that the parser stays in step. */
    private Map<String, String> properties(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (value != JsonToken.START_OBJECT) {
            throw new IngestException(ErrorCode.INVALID_TYPE, "properties must be an object of strings", "properties");
        }
        Map<String, String> properties = new HashMap<>();
        IngestException problem = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (token != JsonToken.VALUE_STRING) {
                parser.skipChildren();
                if (problem == null) {
                    problem = new IngestException(
                            ErrorCode.INVALID_TYPE, "property " + name + " must be a string", "properties." + name);
                }
            } else if (problem == null) {
                String text = parser.getText();
                try {
                    checks.property("properties", name, text);
                    properties.put(name, text);
                    checks.propertyCount("properties", properties.size());
                } catch (IngestException e) {
                    problem = e;
                }
            }
        }
        if (problem != null) {
            throw problem;
        }
        return properties;
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new IngestException(ErrorCode.INVALID_JSON, "unexpected content after the JSON value");
        }
    }

    private static boolean isBlank(byte[] body, int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static IngestException tooMany(int maxEvents) {
        return new IngestException(ErrorCode.TOO_MANY_EVENTS, "a request may hold at most " + maxEvents + " events");
    }
}
