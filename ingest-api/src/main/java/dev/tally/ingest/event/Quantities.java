package dev.tally.ingest.event;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.schemas.Decimals;
import dev.tally.schemas.rules.DecimalText;
import dev.tally.schemas.rules.DecimalText.DecimalTextException;
import java.math.BigDecimal;

/**
 * The bounds of every value that is aggregated: an event's quantity, or the property its meter
 * reads. Read by the project's one decimal parser, {@link DecimalText}, within
 * {@link Decimals#QUANTITY_BOUNDS} (not negative, at most 9 decimal places, below 10^15, so that a
 * quantity times any price fits the money type); its problems become the ingest API's codes.
 */
public final class Quantities {

    private Quantities() {}

    /**
     * {@code text} as an exact decimal at the contract's scale 9.
     *
     * @param field the field it was read from, named in the error
     * @throws IngestException {@code invalid_quantity}, {@code negative_quantity},
     *     {@code quantity_too_large} or {@code too_many_decimals}, naming {@code field}
     */
    public static BigDecimal parse(String text, String field) {
        try {
            return Decimals.quantity(DecimalText.parse(field, text, Decimals.QUANTITY_BOUNDS));
        } catch (DecimalTextException e) {
            ErrorCode code =
                    switch (e.problem()) {
                        case MALFORMED -> ErrorCode.INVALID_QUANTITY;
                        case NEGATIVE -> ErrorCode.NEGATIVE_QUANTITY;
                        case TOO_LARGE -> ErrorCode.QUANTITY_TOO_LARGE;
                        case TOO_MANY_DECIMALS -> ErrorCode.TOO_MANY_DECIMALS;
                    };
            throw new IngestException(code, e.getMessage(), field);
        }
    }
}
