package dev.tally.billing.rating;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The checks the price records make on construction, so that a definition built in code (a test, a
 * row read back) rates as safely as one from {@link PriceValidator}. They throw {@link
 * IllegalArgumentException}: a value that reaches them is a programming error, since input is checked
 * by the validator, with field paths, first.
 */
final class Invariants {

    private Invariants() {}

    static BigDecimal nonNegative(String name, BigDecimal value) {
        Objects.requireNonNull(value, name);
        require(value.signum() >= 0, name + " must not be negative");
        return value;
    }

    static BigDecimal nonNegativeOrNull(String name, BigDecimal value) {
        return value == null ? null : nonNegative(name, value);
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
