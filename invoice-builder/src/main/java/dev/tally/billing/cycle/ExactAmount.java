package dev.tally.billing.cycle;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * An amount known exactly as a decimal over a whole number, such as a fee × 1,339,199 ÷ 2,678,400 whose
 * decimal expansion never ends. It is rounded once, where the line is written.
 */
public record ExactAmount(BigDecimal numerator, long denominator) {

    public ExactAmount {
        Objects.requireNonNull(numerator, "numerator");
        if (denominator <= 0) {
            throw new IllegalArgumentException("the denominator must be positive: " + denominator);
        }
    }

    /** The amount rounded once to {@code scale} decimals (the currency's minor unit, HALF_EVEN for invoice lines). */
    public BigDecimal round(int scale, RoundingMode rounding) {
        return numerator.divide(BigDecimal.valueOf(denominator), scale, rounding);
    }

    /** The amount as a decimal when it has a finite expansion (e.g. half of 49.00), else empty. */
    public Optional<BigDecimal> exactDecimal() {
        try {
            return Optional.of(numerator.divide(BigDecimal.valueOf(denominator)));
        } catch (ArithmeticException nonTerminating) {
            return Optional.empty();
        }
    }

    /** The same amount with the opposite sign (a credit). */
    public ExactAmount negate() {
        return new ExactAmount(numerator.negate(), denominator);
    }

    /** Whether both are the same number, whatever their scales and denominators. */
    public boolean isEqualTo(ExactAmount other) {
        return numerator
                        .multiply(BigDecimal.valueOf(other.denominator))
                        .compareTo(other.numerator.multiply(BigDecimal.valueOf(denominator)))
                == 0;
    }

    /** The exact sum (used to check that prorations add up, never to round a total). */
    public ExactAmount plus(ExactAmount other) {
        if (denominator == other.denominator) {
            return new ExactAmount(numerator.add(other.numerator), denominator);
        }
        return new ExactAmount(
                numerator
                        .multiply(BigDecimal.valueOf(other.denominator))
                        .add(other.numerator.multiply(BigDecimal.valueOf(denominator))),
                Math.multiplyExact(denominator, other.denominator));
    }

    @Override
    public String toString() {
        return numerator.toPlainString() + "/" + denominator;
    }
}
