package dev.tally.ingest.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.schemas.Decimals;
import dev.tally.schemas.rules.EventIdentity;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one CloudEvents 1.0 event (structured JSON) the way OpenMeter maps it, so that a client
 * written for OpenMeter's ingest works by changing its base URL: {@code subject} → customer,
 * {@code type} → feature, {@code time} → timestamp, {@code data.quantity} or {@code data.value} →
 * quantity (1, a count, when neither is there), the other scalar members of {@code data} →
 * properties (as text; nested objects and arrays are not properties and are left out). The event's
 * id is {@link EventIdentity#cloudEventId}: CloudEvents are unique by source and id together, and
 * that encoding keeps distinct pairs distinct. Errors name the CloudEvents attribute at fault
 * ({@code subject}, {@code type}, {@code time}, {@code data.quantity}), not the Tally field it maps to.
 */
final class CloudEventReader {

    private static final BigDecimal ONE = Decimals.quantity(BigDecimal.ONE);

    private final FieldChecks checks;

    CloudEventReader(FieldChecks checks) {
        this.checks = checks;
    }

    ParsedEvent read(JsonParser parser, Instant now) throws IOException {
        String specversion = null;
        String id = null;
        String source = null;
        String subject = null;
        String type = null;
        Instant time = null;
        Data data = new Data(null, Map.of());
        IngestException rejection = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (rejection != null) {
                parser.skipChildren();
                continue;
            }
            try {
                switch (name) {
                    case "specversion" -> specversion = EventReader.string(parser, value, "specversion");
                    case "id" -> {
                        id = EventReader.string(parser, value, "id");
                        checks.id("id", id);
                    }
                    case "source" -> {
                        source = EventReader.string(parser, value, "source");
                        checks.source(source);
                    }
                    case "subject" -> {
                        subject = EventReader.string(parser, value, "subject");
                        checks.customer("subject", subject);
                    }
                    case "type" -> {
                        type = EventReader.string(parser, value, "type");
                        checks.feature("type", type);
                    }
                    case "time" -> {
                        if (value != JsonToken.VALUE_NULL) {
                            time = checks.timestamp("time", EventReader.string(parser, value, "time"), now);
                        }
                    }
                    case "data" -> data = data(parser, value);
                    case "data_base64" ->
                        // Binary data cannot be read for a quantity; counting it as 1 would misstate it.
                        throw new IngestException(
                                ErrorCode.UNEXPECTED_FIELD,
                                "data_base64 is not read: send the quantity in data (JSON) as data.quantity or data.value",
                                "data_base64");
                    case "retracts" ->
                        // Read as an extension attribute it would be ignored, turning a cancellation into usage.
                        throw new IngestException(
                                ErrorCode.UNEXPECTED_FIELD,
                                "retractions are sent as Tally events (application/json or NDJSON), not CloudEvents",
                                "retracts");
                    default -> parser.skipChildren();
                }
            } catch (IngestException e) {
                rejection = e;
                parser.skipChildren();
            }
        }
        if (rejection == null) {
            rejection = missing(specversion, id, source, subject, type);
        }
        String eventId = id != null && source != null ? EventIdentity.cloudEventId(source, id) : id;
        if (rejection != null) {
            return new ParsedEvent.Rejected(eventId, Violation.of(rejection));
        }
        BigDecimal quantity = data.quantity() == null ? ONE : data.quantity();
        return new ParsedEvent.Valid(new EventInput(eventId, subject, type, quantity, time, data.properties()));
    }

    private static IngestException missing(String specversion, String id, String source, String subject, String type) {
        if (specversion != null && !"1.0".equals(specversion)) {
            return new IngestException(ErrorCode.INVALID_TYPE, "specversion must be 1.0", "specversion");
        }
        String field = specversion == null
                ? "specversion"
                : id == null
                        ? "id"
                        : source == null ? "source" : subject == null ? "subject" : type == null ? "type" : null;
        return field == null ? null : new IngestException(ErrorCode.MISSING_FIELD, field + " is required", field);
    }

    private record Data(BigDecimal quantity, Map<String, String> properties) {}

    private Data data(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return new Data(null, Map.of());
        }
        if (value != JsonToken.START_OBJECT) {
            throw new IngestException(ErrorCode.INVALID_TYPE, "data must be a JSON object", "data");
        }
        BigDecimal quantity = null;
        Map<String, String> properties = new HashMap<>();
        IngestException problem = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (problem != null || token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                parser.skipChildren();
                continue;
            }
            try {
                if (quantity == null && ("quantity".equals(name) || "value".equals(name))) {
                    String field = "data." + name;
                    quantity = FieldChecks.quantity(field, EventReader.quantityText(parser, token, field));
                } else if (token != JsonToken.VALUE_NULL) {
                    String text = parser.getText();
                    checks.property("data", name, text);
                    properties.put(name, text);
                    checks.propertyCount("data", properties.size());
                }
            } catch (IngestException e) {
                problem = e;
            }
        }
        if (problem != null) {
            throw problem;
        }
        return new Data(quantity, properties);
    }
}
