package dev.tally.metering.query;

import dev.tally.schemas.rules.Identifiers;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The checks every query parameter of metering's API passes first: no control characters (a NUL
 * or a line break is never meant, and must not reach a store key or a log line), customers and
 * features by the project's one identifier rule, instants in a range every store can hold. Each
 * refusal is a 400 {@code invalid_parameter} naming the parameter.
 */
final class QueryParameters {

    /** The earliest instant a query may name: year 1 (beyond it, epoch millis may overflow). */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    /** The latest instant a query may name: the end of year 9999. */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private QueryParameters() {}

    /**
     * Refuses a request that names one parameter twice: which of two values wins would be the
     * framework's choice, silently (a second {@code customer} must not widen or narrow a query).
     */
    static void requireSingleValues(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getValue().size() > 1) {
                String name = parameter.getKey();
                throw invalid(name, name + " is given more than once");
            }
        }
    }

    /** {@code value} (null when absent) unless it holds a control character. */
    static String text(String name, String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw invalid(name, name + " must not contain control characters");
            }
        }
        return value;
    }

    /** A customer id, or null when absent or blank (then: every customer). */
    static String customer(String name, String value) {
        String text = blankToNull(text(name, value));
        if (text == null) {
            return null;
        }
        String problem = Identifiers.customerProblem(name, text);
        if (problem != null) {
            throw invalid(name, problem);
        }
        return text;
    }

    /** A feature key, or null when absent or blank (then: every feature). */
    static String feature(String name, String value) {
        String text = blankToNull(text(name, value));
        if (text == null) {
            return null;
        }
        String problem = Identifiers.featureProblem(name, text);
        if (problem != null) {
            throw invalid(name, problem);
        }
        return text;
    }

    /** An ISO-8601 instant between {@link #EARLIEST} and {@link #LATEST}; null when absent. */
    static Instant instant(String name, String value) {
        String text = text(name, value);
        if (text == null) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(name, name + " must be an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw invalid(name, name + " must be between years 1 and 9999");
        }
        return instant;
    }

    /** A positive whole number of ASCII digits at most {@code max}; {@code otherwise} when absent. */
    static int count(String name, String value, int otherwise, int max) {
        String text = text(name, value);
        if (text == null) {
            return otherwise;
        }
        String why = name + " must be a whole number from 1 to " + max;
        // ASCII only: Integer.parseInt would read Arabic-Indic and other Unicode digits
        if (text.isEmpty() || text.length() > String.valueOf(max).length()) {
            throw invalid(name, why);
        }
        int number = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(name, why);
            }
            number = number * 10 + (c - '0');
        }
        if (number < 1 || number > max) {
            throw invalid(name, why);
        }
        return number;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static MeteringException invalid(String name, String message) {
        return new MeteringException(MeteringErrorCode.INVALID_PARAMETER, message, name);
    }
}
