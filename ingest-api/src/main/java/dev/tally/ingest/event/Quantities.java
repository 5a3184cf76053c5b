package dev.tally.ingest.event;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.schemas.Decimals;
import java.math.BigDecimal;

/**
 * The bounds of every value that is aggregated: an event's quantity, or the property its meter
 * reads. Exact decimals (never read through a double), not negative, at most 9 decimal places,
 * below 10^20 (enough for any usage count, and well inside the contract's precision 38).
 */
public final class Quantities {

    /** Digits before the decimal point. */
    static final int MAX_INTEGER_DIGITS = 20;

    private static final int MAX_TEXT = 64;

    private Quantities() {}

    /**
     * {@code text} as an exact decimal at the contract's scale 9.
     *
     * @param field the field it was read from, named in the error
     * @throws IngestException {@code invalid_quantity}, {@code negative_quantity},
     *     {@code quantity_too_large} or {@code too_many_decimals}, naming {@code field}
     */
    public static BigDecimal parse(String text, String field) {
        if (text.length() > MAX_TEXT) {
            throw new IngestException(ErrorCode.INVALID_QUANTITY, field + " is too long to be a decimal number", field);
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IngestException(ErrorCode.INVALID_QUANTITY, field + " must be a decimal number", field);
        }
        if (value.signum() < 0) {
            throw new IngestException(ErrorCode.NEGATIVE_QUANTITY, field + " must not be negative", field);
        }
        if (value.precision() - value.scale() > MAX_INTEGER_DIGITS) {
            throw new IngestException(
                    ErrorCode.QUANTITY_TOO_LARGE, field + " must be below 10^" + MAX_INTEGER_DIGITS, field);
        }
        if (value.scale() > Decimals.QUANTITY_SCALE
                && value.stripTrailingZeros().scale() > Decimals.QUANTITY_SCALE) {
            throw new IngestException(
                    ErrorCode.TOO_MANY_DECIMALS,
                    field + " must have at most " + Decimals.QUANTITY_SCALE + " decimal places",
                    field);
        }
        return Decimals.quantity(value.scale() > Decimals.QUANTITY_SCALE ? value.stripTrailingZeros() : value);
    }
}
