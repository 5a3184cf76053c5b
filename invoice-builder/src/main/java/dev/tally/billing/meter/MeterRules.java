package dev.tally.billing.meter;

import dev.tally.billing.BillingException;
import dev.tally.billing.web.Inputs;
import dev.tally.schemas.avro.Aggregation;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The checks of a new meter, each failing with a 400 that names the field. Feature keys follow
 * the project's one rule ({@link dev.tally.schemas.rules.Identifiers}), so every meter can be
 * reached by events. Property names are not features and keep a rule of their own: ingest's limit
 * of 64 characters, from the feature keys' safe set because they travel inside metering's keys
 * and stores.
 */
final class MeterRules {

    static final int MAX_PROPERTY_LENGTH = 64;

    /** Aggregations as the API spells them. */
    static final List<String> AGGREGATIONS =
            Arrays.stream(Aggregation.values()).map(Meter::text).toList();

    private MeterRules() {}

    static String feature(String value) {
        return Inputs.feature("feature", value);
    }

    static Aggregation aggregation(String value) {
        if (value == null || value.isBlank()) {
            throw BillingException.invalid("aggregation", "aggregation is required, one of " + AGGREGATIONS);
        }
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (!AGGREGATIONS.contains(text)) {
            throw BillingException.invalid(
                    "aggregation", "aggregation \"" + value + "\" is unknown; use one of " + AGGREGATIONS);
        }
        return Aggregation.valueOf(text.toUpperCase(Locale.ROOT));
    }

    /** The value property for {@code aggregation}: required for UNIQUE_COUNT, refused for COUNT. */
    static String valueProperty(Aggregation aggregation, String value) {
        if (value == null) {
            if (aggregation == Aggregation.UNIQUE_COUNT) {
                throw BillingException.invalid(
                        "valueProperty", "valueProperty is required for unique_count: the property whose values count");
            }
            return null;
        }
        if (aggregation == Aggregation.COUNT) {
            throw BillingException.invalid(
                    "valueProperty", "valueProperty must not be set for count, which counts events and reads no value");
        }
        return name("valueProperty", value, MAX_PROPERTY_LENGTH);
    }

    private static String name(String field, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            throw BillingException.invalid(field, field + " is required");
        }
        if (value.length() > maxLength) {
            throw BillingException.invalid(field, field + " must be 1 to " + maxLength + " characters long");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == ':'
                    || c == '-';
            if (!allowed) {
                throw BillingException.invalid(field, field + " may contain only letters, digits and . _ : -");
            }
        }
        return value;
    }
}
