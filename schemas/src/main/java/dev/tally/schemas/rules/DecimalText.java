package dev.tally.schemas.rules;

import java.math.BigDecimal;

/**
 * The one decimal parser of the project: ingest's quantities and value properties, metering's
 * value properties and billing's amounts all read decimal text here.
 *
 * <p>It checks the text's shape and bounds <em>before</em> it builds a number: {@code new
 * BigDecimal("1e1000000")} is cheap, but anything done with it afterwards (scaling it, comparing
 * it, multiplying it by a price) can take minutes of CPU, and {@code "1e2147483647"} makes later
 * arithmetic fail with an {@link ArithmeticException}. So digits, scale and exponent are counted on
 * the text itself, and only text inside the bounds becomes a {@link BigDecimal}.
 *
 * <p>Accepted: an optional sign, ASCII digits with an optional decimal point, an optional exponent
 * ({@code 1.5}, {@code .5}, {@code 2e3}, {@code 25E-1}). Refused: other Unicode digits (which
 * {@link BigDecimal} would read), spaces, {@code NaN}, {@code Infinity}, hexadecimal.
 */
public final class DecimalText {

    /** Text longer than this is refused without being read further. */
    public static final int MAX_TEXT_LENGTH = 100;

    /** Why a text was refused. */
    public enum Problem {
        /** Not a decimal number in the accepted shape. */
        MALFORMED,
        /** Below zero where only non-negative values are allowed. */
        NEGATIVE,
        /** More digits before the decimal point than the bounds allow. */
        TOO_LARGE,
        /** More decimal places (after trailing zeros are dropped) than the bounds allow. */
        TOO_MANY_DECIMALS
    }

    /**
     * The bounds of one kind of value.
     *
     * @param maxIntegerDigits digits before the decimal point: values are below 10^maxIntegerDigits
     * @param maxScale decimal places, trailing zeros not counted
     * @param negativeAllowed whether values below zero are allowed
     */
    public record Bounds(int maxIntegerDigits, int maxScale, boolean negativeAllowed) {}

    /** Thrown for a refused text; cheap (no stack trace), since ingest may refuse many. */
    public static final class DecimalTextException extends IllegalArgumentException {
        private final Problem problem;

        DecimalTextException(Problem problem, String message) {
            super(message, null);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private DecimalText() {}

    /**
     * {@code text} as an exact decimal within {@code bounds}, in the scale the text gives (callers
     * bring it to their contract's scale).
     *
     * @param field named in the message
     * @throws DecimalTextException naming the {@link Problem}
     */
    public static BigDecimal parse(String field, CharSequence text, Bounds bounds) {
        int length = text.length();
        if (length == 0 || length > MAX_TEXT_LENGTH) {
            throw malformed(field, length == 0 ? " is empty" : " is too long to be a decimal number");
        }
        int i = 0;
        boolean negative = false;
        char first = text.charAt(0);
        if (first == '+' || first == '-') {
            negative = first == '-';
            i++;
        }
        int integerStart = i;
        while (i < length && isDigit(text.charAt(i))) {
            i++;
        }
        int integerDigits = i - integerStart;
        int fractionStart = i;
        int fractionDigits = 0;
        if (i < length && text.charAt(i) == '.') {
            fractionStart = ++i;
            while (i < length && isDigit(text.charAt(i))) {
                i++;
            }
            fractionDigits = i - fractionStart;
        }
        if (integerDigits + fractionDigits == 0) {
            throw malformed(field, " must be a decimal number");
        }
        long exponent = 0;
        if (i < length && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < length && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                negativeExponent = text.charAt(i) == '-';
                i++;
            }
            int exponentStart = i;
            while (i < length && isDigit(text.charAt(i))) {
                // saturates far beyond any bound instead of overflowing
                exponent = Math.min(exponent * 10 + (text.charAt(i) - '0'), 1_000_000_000L);
                i++;
            }
            if (i == exponentStart) {
                throw malformed(field, " must be a decimal number");
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        if (i != length) {
            throw malformed(field, " must be a decimal number");
        }

        // the significant digits, as positions in the digit string integer + fraction
        int firstSignificant = -1;
        int lastSignificant = -1;
        for (int d = 0; d < integerDigits + fractionDigits; d++) {
            char c = d < integerDigits ? text.charAt(integerStart + d) : text.charAt(fractionStart + d - integerDigits);
            if (c != '0') {
                if (firstSignificant < 0) {
                    firstSignificant = d;
                }
                lastSignificant = d;
            }
        }
        if (firstSignificant < 0) {
            return BigDecimal.ZERO;
        }
        if (negative && !bounds.negativeAllowed()) {
            throw new DecimalTextException(Problem.NEGATIVE, field + " must not be negative");
        }
        long point = integerDigits + exponent; // the decimal point's position in the digit string
        long digitsBeforePoint = Math.max(0, point - firstSignificant);
        if (digitsBeforePoint > bounds.maxIntegerDigits()) {
            throw new DecimalTextException(Problem.TOO_LARGE, field + " must be below 10^" + bounds.maxIntegerDigits());
        }
        long places = Math.max(0, lastSignificant + 1 - point);
        if (places > bounds.maxScale()) {
            throw new DecimalTextException(
                    Problem.TOO_MANY_DECIMALS, field + " must have at most " + bounds.maxScale() + " decimal places");
        }
        // inside the bounds the exponent is small, so this is cheap and exact
        BigDecimal value = new BigDecimal(text.toString());
        return value.scale() > bounds.maxScale() ? value.setScale(bounds.maxScale()) : value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static DecimalTextException malformed(String field, String why) {
        return new DecimalTextException(Problem.MALFORMED, field + why);
    }
}
