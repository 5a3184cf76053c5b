package dev.tally.ingest.event;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import dev.tally.schemas.rules.ControlCharacters;
import dev.tally.schemas.rules.Identifiers;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The checks of each event field, hand written (no Bean Validation) because they run for every
 * event on the hot path. Each throws an {@link IngestException} naming the field at fault (as the
 * request's format calls it: {@code subject} in a CloudEvent, {@code customer} in a Tally event);
 * the exception carries no stack trace, so a rejected event costs little more than an accepted one.
 *
 * <p>Customers and features follow the project's one rule, {@link Identifiers}, so that whatever
 * ingest accepts can be billed. Event ids and CloudEvents sources never reach billing and keep a
 * wider set (URIs, {@code #}-joined CloudEvents ids); none allows {@code '|'}, which separates the
 * parts of record keys, nor a control character.
 */
final class FieldChecks {

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

    /** An event id (idempotency key), read from {@code field}. */
    void id(String field, String value) {
        refuseIfPresent(Identifiers.eventIdProblem(field, value, settings.maxIdLength()), field);
    }

    /** The target of a retraction: an event id, by the same rules. */
    void retracts(String value) {
        id("retracts", value);
    }

    void customer(String field, String value) {
        refuseIfPresent(Identifiers.customerProblem(field, value), field);
    }

    void feature(String field, String value) {
        refuseIfPresent(Identifiers.featureProblem(field, value), field);
    }

    /** A CloudEvents source: a URI reference, so any visible ASCII character but the key separator. */
    void source(String value) {
        identifier("source", value, MAX_SOURCE_LENGTH, SOURCE_CHARS, "visible ASCII characters other than |");
    }

    private static void refuseIfPresent(String problem, String field) {
        if (problem != null) {
            throw new IngestException(ErrorCode.INVALID_IDENTIFIER, problem, field);
        }
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

    /** Parses a quantity from its JSON or form text (number or string) exactly; never through a double. */
    static BigDecimal quantity(String field, String text) {
        return Quantities.parse(text, field);
    }

    /** Parses an RFC 3339 timestamp read from {@code field} and range-checks it against {@code now}. */
    Instant timestamp(String field, String text, Instant now) {
        Instant instant;
        try {
            instant = Rfc3339.parse(text);
        } catch (DateTimeException e) {
            throw new IngestException(
                    ErrorCode.INVALID_TIMESTAMP,
                    field + " must be an RFC 3339 date-time with an offset, e.g. 2026-11-22T03:15:00Z",
                    field);
        }
        return inRange(field, instant, now);
    }

    /** {@code instant}, read from {@code field}, if it lies within the accepted window around {@code now}. */
    Instant inRange(String field, Instant instant, Instant now) {
        if (instant.isBefore(now.minus(settings.maxPastAge()))) {
            throw new IngestException(
                    ErrorCode.TIMESTAMP_OUT_OF_RANGE,
                    field + " must be at most " + settings.maxPastAge().toDays() + " days in the past",
                    field);
        }
        if (instant.isAfter(now.plus(settings.maxFutureSkew()))) {
            throw new IngestException(
                    ErrorCode.TIMESTAMP_OUT_OF_RANGE,
                    field + " must be at most " + settings.maxFutureSkew().toSeconds() + " seconds in the future",
                    field);
        }
        return instant;
    }

    /** {@code count} properties under {@code field} ({@code properties}, or a CloudEvent's {@code data}). */
    void propertyCount(String field, int count) {
        if (count > settings.maxProperties()) {
            throw new IngestException(
                    ErrorCode.INVALID_PROPERTIES,
                    "at most " + settings.maxProperties() + " properties are allowed",
                    field);
        }
    }

    /**
     * One property under {@code field}. A bad name is reported on {@code field} itself (the name
     * may not be printable); a bad value on {@code field.name}.
     */
    void property(String field, String name, String value) {
        if (name.isEmpty() || name.length() > settings.maxPropertyKeyLength()) {
            throw new IngestException(
                    ErrorCode.INVALID_PROPERTIES,
                    "property names must be 1 to " + settings.maxPropertyKeyLength() + " characters long",
                    field);
        }
        if (ControlCharacters.holdsAny(name)) {
            throw new IngestException(
                    ErrorCode.INVALID_PROPERTIES, "property names must not contain control characters", field);
        }
        if (value.length() > settings.maxPropertyValueLength()) {
            throw new IngestException(
                    ErrorCode.INVALID_PROPERTIES,
                    "property " + name + " is longer than " + settings.maxPropertyValueLength() + " characters",
                    field + "." + name);
        }
        if (ControlCharacters.holdsAny(value)) {
            throw new IngestException(
                    ErrorCode.INVALID_PROPERTIES,
                    "property " + name + " must not contain control characters",
                    field + "." + name);
        }
    }
}
