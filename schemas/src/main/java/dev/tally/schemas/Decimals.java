package dev.tally.schemas;

import java.math.BigDecimal;

/**
 * The fixed scales of the exact decimals on the wire. Avro decimals carry one scale per field, so
 * every value is brought to it before it is written; a value with more digits is refused rather
 * than rounded.
 */
public final class Decimals {

    /** Usage quantities: up to 9 decimal places. */
    public static final int QUANTITY_SCALE = 9;

    /** Stellar amounts: 7 decimal places (1 stroop = 0.0000001). */
    public static final int STELLAR_SCALE = 7;

    private Decimals() {}

    /**
     * {@code value} at {@link #QUANTITY_SCALE}.
     *
     * @throws ArithmeticException if it has more than 9 decimal places
     */
    public static BigDecimal quantity(BigDecimal value) {
        return value.setScale(QUANTITY_SCALE);
    }

    /**
     * {@code value} at {@link #STELLAR_SCALE}.
     *
     * @throws ArithmeticException if it has more than 7 decimal places
     */
    public static BigDecimal stellarAmount(BigDecimal value) {
        return value.setScale(STELLAR_SCALE);
    }
}
