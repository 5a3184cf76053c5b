package dev.tally.ingest.event;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The checks of each event field, hand written (no Bean Validation) because they run for every
 * event on the hot path. Each throws an {@link IngestException} naming the field at fault; the
 * exception carries no stack trace, so a rejected event costs little more than an accepted one.
 *
 * <p>Identifiers end up inside record keys joined by {@code '|'}, so that character is never
 * allowed; the allowed sets cover UUIDs, Stripe-style ids ({@code cus_X1}), e-mail addresses and
 * dotted CloudEvents types.
 */
final class FieldChecks {

    private static final boolean[] ID_CHARS = allowed("._:@/+=~#-");
    private static final boolean[] FEATURE_CHARS = allowed("._:-");
    private static final boolean[] SOURCE_CHARS = visibleAsciiBut('|');
    private static final int MAX_SOURCE_LENGTH = 256;

    private final IngestSettings settings;

    FieldChecks(IngestSettings settings) {
        this.settings = settings;
    }

    private static boolean[] visibleAsciiBut(char excluded) {
        boolean[] table = new boolean[128];
        for (char c = '!'; c <= '~'; c++) {
            table[c] = c != excluded;
        }
        return table;
    }

    private static boolean[] allowed(String punctuation) {
        boolean[] table = new boolean[128];
        for (char c = '0'; c <= '9'; c++) {
            table[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            table[c] = true;
            table[Character.toUpperCase(c)] = true;
        }
        for (char c : punctuation.toCharArray()) {
            table[c] = true;
        }
        return table;
    }

    void id(String value) {
        identifier("id", value, settings.maxIdLength(), ID_CHARS, "letters, digits and ._:@/+=~#-");
    }

    /** The target of a retraction: an event id, by the same rules. */
    void retracts(String value) {
        identifier("retracts", value, settings.maxIdLength(), ID_CHARS, "letters, digits and ._:@/+=~#-");
    }

    void customer(String value) {
        identifier("customer", value, settings.maxCustomerLength(), ID_CHARS, "letters, digits and ._:@/+=~#-");
    }

    void feature(String value) {
        identifier("feature", value, settings.maxFeatureLength(), FEATURE_CHARS, "letters, digits and ._:-");
    }

    /** A CloudEvents source: a URI reference, so any visible ASCII character but the key separator. */
    void source(String value) {
        identifier("source", value, MAX_SOURCE_LENGTH, SOURCE_CHARS, "visible ASCII characters other than |");
    }

    private static void identifier(String field, String value, int maxLength, boolean[] chars, String set) {
        int length = value.length();
        if (length == 0 || length > maxLength) {
            throw new IngestException(
                    ErrorCode.INVALID_IDENTIFIER, field + " must be 1 to " + maxLength + " characters long", field);
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 128 || !chars[c]) {
                throw new IngestException(ErrorCode.INVALID_IDENTIFIER, field + " may contain only " + set, field);
            }
        }
    }

    /** Parses a quantity from its JSON text (number or string) exactly; never through a double. */
    static BigDecimal quantity(String text) {
        return Quantities.parse(text, "quantity");
    }

    /** Parses and range-checks a timestamp against {@code now}. */
    Instant timestamp(String text, Instant now) {
        Instant instant;
        try {
            instant = Rfc3339.parse(text);
        } catch (DateTimeException e) {
            throw new IngestException(
                    ErrorCode.INVALID_TIMESTAMP,
                    "timestamp must be an RFC 3339 date-time with an offset, e.g. 2026-11-22T03:15:00Z",
                    "timestamp");
        }
        if (instant.isBefore(now.minus(settings.maxPastAge()))) {
            throw new IngestException(
                    ErrorCode.TIMESTAMP_OUT_OF_RANGE,
                    "timestamp must be at most " + settings.maxPastAge().toDays() + " days in the past",
                    "timestamp");
        }
        if (instant.isAfter(now.plus(settings.maxFutureSkew()))) {
            throw new IngestException(
                    ErrorCode.TIMESTAMP_OUT_OF_RANGE,
                    "timestamp must be at most " + settings.maxFutureSkew().toSeconds() + " seconds in the future",
                    "timestamp");
        }
        return instant;
    }

    void propertyCount(int count) {
        if (count > settings.maxProperties()) {
            throw new IngestException(
                    ErrorCode.INVALID_PROPERTIES,
                    "at most " + settings.maxProperties() + " properties are allowed",
                    "properties");
        }
    }

    void property(String name, String value) {
        if (name.isEmpty() || name.length() > settings.maxPropertyKeyLength()) {
            throw new IngestException(
                    ErrorCode.INVALID_PROPERTIES,
                    "property names must be 1 to " + settings.maxPropertyKeyLength() + " characters long",
                    "properties");
        }
        if (value.length() > settings.maxPropertyValueLength()) {
            throw new IngestException(
                    ErrorCode.INVALID_PROPERTIES,
                    "property " + name + " is longer than " + settings.maxPropertyValueLength() + " characters",
                    "properties." + name);
        }
    }
}
