package dev.tally.schemas;

import dev.tally.schemas.rules.DecimalText;
import java.math.BigDecimal;

/**
 * The fixed scales of the exact decimals on the wire. Avro decimals carry one scale per field, so
 * every value is brought to it before it is written; a value with more digits is refused rather
 * than rounded.
 */
public final class Decimals {

    /** Usage quantities: up to 9 decimal places. */
    public static final int QUANTITY_SCALE = 9;

    /**
     * The bounds of every value that is aggregated (an event's quantity, or the property its meter
     * reads), for {@link DecimalText#parse}: not negative, at most 9 decimal places, below 10^15
     * (a quadrillion units in one event, far past any real count, and small enough that one
     * event's quantity times a price stays far inside the contract's precision 38).
     */
    public static final DecimalText.Bounds QUANTITY_BOUNDS = new DecimalText.Bounds(15, QUANTITY_SCALE, false);

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
