package dev.tally.billing.planning;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The usage of one item in one usage span, from the ledger: what {@link dev.tally.billing.rating.PriceRater}
 * rates.
 *
 * @param quantity the summed (or otherwise aggregated) usage, not negative, at most 9 decimal places
 * @param eventCount the events behind it (read only by a percentage price's fixed amount per event)
 */
public record Usage(BigDecimal quantity, long eventCount) {

    /** No usage at all. */
    public static final Usage NONE = new Usage(BigDecimal.ZERO, 0);

    public Usage {
        Objects.requireNonNull(quantity, "quantity");
        if (quantity.signum() < 0 || eventCount < 0) {
            throw new IllegalArgumentException("usage is never negative: " + quantity + ", " + eventCount + " events");
        }
    }
}
