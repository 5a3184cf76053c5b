package dev.tally.billing.web;

import dev.tally.billing.BillingException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Checks of request fields, each failing with a 400 that names the field. */
public final class Inputs {

    /** Identifiers that travel in Kafka keys: no separator, no spaces, bounded. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");

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

    /** A required identifier: letters, digits and {@code _ . : @ -}, 1 to 128 characters. */
    public static String identifier(String field, String value) {
        required(field, value);
        if (!IDENTIFIER.matcher(value).matches()) {
            throw BillingException.invalid(
                    field, field + " must be 1 to 128 letters, digits or _ . : @ - (got \"" + value + "\")");
        }
        return value;
    }

    /** A required ISO-8601 instant such as {@code 2026-11-01T00:00:00Z}. */
    public static Instant instant(String field, String value) {
        required(field, value);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw BillingException.invalid(field, field + " must be an ISO-8601 instant like 2026-11-01T00:00:00Z");
        }
    }

    /** An optional ISO-8601 instant. */
    public static Instant optionalInstant(String field, String value) {
        return value == null ? null : instant(field, value);
    }

    /** A required non-negative decimal string with at most {@code maxScale} decimal places. */
    public static BigDecimal decimal(String field, String value, int maxScale) {
        required(field, value);
        BigDecimal decimal;
        try {
            decimal = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw BillingException.invalid(field, field + " must be a decimal string like \"0.05\"");
        }
        if (decimal.signum() < 0) {
            throw BillingException.invalid(field, field + " must not be negative");
        }
        if (decimal.stripTrailingZeros().scale() > maxScale) {
            throw BillingException.invalid(field, field + " has more than " + maxScale + " decimal places");
        }
        return decimal;
    }

    /** An optional {@code true} / {@code false}; absent is false. */
    public static boolean optionalBoolean(String field, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw BillingException.invalid(field, field + " must be true or false");
    }
}
