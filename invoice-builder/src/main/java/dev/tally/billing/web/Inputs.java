package dev.tally.billing.web;

import dev.tally.billing.BillingException;
import dev.tally.schemas.rules.ControlCharacters;
import dev.tally.schemas.rules.DecimalText;
import dev.tally.schemas.rules.Identifiers;
import dev.tally.schemas.rules.InstantRange;
import dev.tally.schemas.rules.TimeZones;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Checks of request fields, each failing with a 400 that names the field. Customer ids and feature
 * keys follow the project's one rule ({@link Identifiers}); decimals are read by the project's one
 * parser ({@link DecimalText}); instants must lie in the shared {@link InstantRange}.
 */
public final class Inputs {

    private Inputs() {}

    /** {@code value}, which must be present and non-blank. */
    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw BillingException.invalid(field, field + " is required");
        }
        return value;
    }

    /** {@code value}, trimmed, at most {@code max} characters, or null when absent. */
    public static String optionalText(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw BillingException.invalid(field, field + " is longer than " + max + " characters");
        }
        return value.strip();
    }

    /** A required customer id (the id apps send in usage events), by the project's one rule. */
    public static String customer(String field, String value) {
        required(field, value);
        return checked(field, Identifiers.customerProblem(field, value), value);
    }

    /** A required feature key, by the project's one rule. */
    public static String feature(String field, String value) {
        required(field, value);
        return checked(field, Identifiers.featureProblem(field, value), value);
    }

    /**
     * A required time zone: an IANA name of the tz database the JDK ships ({@code Europe/Paris},
     * {@code America/New_York}, {@code UTC}), matched in any case and answered in its own
     * spelling. Raw offsets ({@code +02:00}, {@code UTC+2}) are refused: they ignore daylight saving
     * time, so periods would start an hour off for half the year.
     */
    public static String timeZone(String field, String value) {
        required(field, value);
        return TimeZones.canonicalName(value)
                .orElseThrow(() -> BillingException.invalid(field, field + " must be " + TimeZones.DESCRIPTION));
    }

    private static String checked(String field, String problem, String value) {
        if (problem != null) {
            throw BillingException.invalid(field, problem);
        }
        return value;
    }

    /**
     * A required ISO-8601 instant such as {@code 2026-11-01T00:00:00Z}, from 1970 to the end of 9999.
     */
    public static Instant instant(String field, String value) {
        required(field, value);
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw BillingException.invalid(field, field + " must be an ISO-8601 instant like 2026-11-01T00:00:00Z");
        }
        if (!InstantRange.contains(instant)) {
            throw BillingException.invalid(field, field + " must be " + InstantRange.DESCRIPTION);
        }
        return instant;
    }

    /** An optional ISO-8601 instant, in the range of {@link #instant}. */
    public static Instant optionalInstant(String field, String value) {
        return value == null ? null : instant(field, value);
    }

    /**
     * A required decimal string within {@code bounds}, read by the project's one parser: its digits,
     * decimal places and exponent are bounded on the text before a number is built, so {@code
     * "1e1000000"} is refused at once instead of costing minutes of CPU.
     */
    public static BigDecimal decimal(String field, String value, DecimalText.Bounds bounds) {
        required(field, value);
        try {
            return DecimalText.parse(field, value, bounds);
        } catch (DecimalText.DecimalTextException e) {
            // the parser's messages name the field and the bound, never echo the text
            throw BillingException.invalid(field, e.getMessage());
        }
    }

    /** An optional {@code true} / {@code false}; absent is false. */
    public static boolean optionalBoolean(String field, String value) {
        return Boolean.TRUE.equals(optionalFlag(field, value));
    }

    /**
     * An optional {@code true} / {@code false} filter: absent is null (a list filtered on neither), so
     * {@code ?active=false} and no {@code active} at all stay two different questions.
     */
    public static Boolean optionalFlag(String field, String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw BillingException.invalid(field, field + " must be true or false");
        };
    }

    /**
     * {@code value} unless it holds a control character (NUL and the other C0 and C1 characters,
     * DEL): those reach logs and PostgreSQL (which refuses NUL with an error) and are never part of
     * a legitimate name or id. Tabs and line breaks are refused too: no billing field is multi-line.
     */
    public static String withoutControls(String field, String value) {
        if (value != null && ControlCharacters.holdsAny(value)) {
            throw BillingException.invalid(field, field + " must not contain control characters");
        }
        return value;
    }
}
