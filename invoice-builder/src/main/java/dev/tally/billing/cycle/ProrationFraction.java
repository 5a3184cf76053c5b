package dev.tally.billing.cycle;

import java.math.BigDecimal;

/**
 * The share of a billing period a flat fee is billed for: seconds billed over the period's seconds, kept
 * as they are (not reduced) so that a line can say "1,339,200 of 2,678,400 seconds". Applying it to an
 * amount is exact ({@link ExactAmount}); rounding to minor units is the line's business, once per line.
 */
public record ProrationFraction(long numerator, long denominator) {

    public ProrationFraction {
        if (denominator <= 0 || numerator < 0 || numerator > denominator) {
            throw new IllegalArgumentException("not a share of a period: " + numerator + "/" + denominator);
        }
    }

    /** The share of {@code period} that {@code part} (inside it) covers, by the second. */
    public static ProrationFraction of(TimeSpan part, BillingPeriod period) {
        if (part.from().isBefore(period.start()) || part.to().isAfter(period.end())) {
            throw new IllegalArgumentException(part + " is not inside " + period);
        }
        return new ProrationFraction(part.seconds(), period.seconds());
    }

    /** Whether the whole period is billed. */
    public boolean isWhole() {
        return numerator == denominator;
    }

    /** {@code amount} × numerator ÷ denominator, exact. */
    public ExactAmount applyTo(BigDecimal amount) {
        return new ExactAmount(amount.multiply(BigDecimal.valueOf(numerator)), denominator);
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}
