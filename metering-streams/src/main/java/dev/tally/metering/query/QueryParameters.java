package dev.tally.metering.query;

import dev.tally.schemas.rules.ControlCharacters;
import dev.tally.schemas.rules.Identifiers;
import dev.tally.schemas.rules.InstantRange;
import dev.tally.schemas.rules.PageSize;
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
        if (ControlCharacters.holdsAny(value)) {
            throw invalid(name, name + " must not contain control characters");
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

    /** An ISO-8601 instant in the shared {@link InstantRange}; null when absent. */
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
        if (!InstantRange.contains(instant)) {
            throw invalid(name, name + " must be " + InstantRange.DESCRIPTION);
        }
        return instant;
    }

    /** A page size by the shared {@link PageSize} rule; its default when absent. */
    static int pageSize(String name, String value) {
        try {
            return PageSize.of(text(name, value));
        } catch (IllegalArgumentException e) {
            throw invalid(name, e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static MeteringException invalid(String name, String message) {
        return new MeteringException(MeteringErrorCode.INVALID_PARAMETER, message, name);
    }
}
