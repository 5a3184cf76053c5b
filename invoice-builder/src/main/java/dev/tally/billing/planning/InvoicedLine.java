package dev.tally.billing.planning;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A line an earlier invoice of the subscription already holds, as the planner compares it: the line's
 * {@link PlannedLine#key() key} and what it stood at when it was written, i.e. the {@code quantity},
 * {@code eventCount} and {@code amountMinor} of the {@link PlannedLine} it was written from.
 *
 * <p>For a usage line and its adjustments, {@code quantity} and {@code eventCount} are the span's whole usage
 * as that line left it (not a difference); {@code amountMinor} is what that one line billed (an adjustment's
 * own difference). The planner sums the amounts of a key's lines and takes the usage of its latest one.
 */
public record InvoicedLine(String key, BigDecimal quantity, long eventCount, long amountMinor) {

    public InvoicedLine {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(quantity, "quantity");
    }
}
