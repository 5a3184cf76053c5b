package dev.tally.ingest.event;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a Stripe meter event ({@code POST /v1/billing/meter_events}, form-encoded) as Stripe's
 * clients send it: {@code event_name} → feature, {@code payload[stripe_customer_id]} → customer,
 * {@code payload[value]} → quantity, optional {@code identifier} → id and {@code timestamp} (Unix
 * seconds); other {@code payload[...]} entries become properties. Errors name Stripe's parameter.
 */
@Singleton
public final class MeterEventForm {

    /** Stripe's parameter for the feature. */
    public static final String EVENT_NAME = "event_name";

    static final String CUSTOMER = "payload[stripe_customer_id]";
    static final String VALUE = "payload[value]";
    static final String IDENTIFIER = "identifier";
    static final String TIMESTAMP = "timestamp";
    private static final String PAYLOAD = "payload[";

    private final FieldChecks checks;

    public MeterEventForm(IngestSettings settings) {
        this.checks = new FieldChecks(settings);
    }

    /**
     * The event of a form.
     *
     * @throws IngestException naming Stripe's parameter at fault
     */
    public EventInput read(Map<String, String> fields, Instant now) {
        try {
            String feature = required(fields, EVENT_NAME);
            checks.feature(EVENT_NAME, feature);
            String customer = required(fields, CUSTOMER);
            checks.customer(CUSTOMER, customer);
            BigDecimal quantity = FieldChecks.quantity(VALUE, required(fields, VALUE));
            String id = fields.get(IDENTIFIER);
            if (id != null) {
                checks.id(IDENTIFIER, id);
            }
            Instant occurredAt = timestamp(fields.get(TIMESTAMP), now);
            Map<String, String> properties = new HashMap<>();
            for (Map.Entry<String, String> field : fields.entrySet()) {
                String name = field.getKey();
                if (name.startsWith(PAYLOAD) && name.endsWith("]") && !name.equals(CUSTOMER) && !name.equals(VALUE)) {
                    String property = name.substring(PAYLOAD.length(), name.length() - 1);
                    checks.property("properties", property, field.getValue());
                    properties.put(property, field.getValue());
                    checks.propertyCount("properties", properties.size());
                }
            }
            return new EventInput(id, customer, feature, quantity, occurredAt, properties);
        } catch (IngestException e) {
            throw new IngestException(e.code(), e.getMessage(), stripeParam(e.field()));
        }
    }

    private Instant timestamp(String seconds, Instant now) {
        if (seconds == null) {
            return null;
        }
        // Long.parseLong reads other scripts' digits too ("١٢" is 12): only ASCII ones are seconds
        if (!isAsciiInteger(seconds)) {
            throw notSeconds();
        }
        long epochSecond;
        try {
            epochSecond = Long.parseLong(seconds);
        } catch (NumberFormatException e) {
            throw notSeconds();
        }
        // Seconds past Instant's own range (e.g. Long.MAX_VALUE) are clamped to it: far outside
        // the accepted window either way, and Instant.ofEpochSecond would throw on them.
        long representable = Math.clamp(epochSecond, Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond());
        return checks.inRange(TIMESTAMP, Instant.ofEpochSecond(representable), now);
    }

    private static boolean isAsciiInteger(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static IngestException notSeconds() {
        return new IngestException(
                ErrorCode.INVALID_TIMESTAMP, "timestamp must be Unix seconds (an integer)", TIMESTAMP);
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new IngestException(ErrorCode.MISSING_FIELD, name + " is required", name);
        }
        return value;
    }

    /** The Stripe parameter a field of an event corresponds to (e.g. properties.x → payload[x]). */
    public static String stripeParam(String field) {
        if (field == null) {
            return null;
        }
        return switch (field) {
            case "feature" -> EVENT_NAME;
            case "customer" -> CUSTOMER;
            case "quantity" -> VALUE;
            case "id" -> IDENTIFIER;
            case "properties" -> "payload";
            default ->
                field.startsWith("properties.") ? PAYLOAD + field.substring("properties.".length()) + "]" : field;
        };
    }
}
