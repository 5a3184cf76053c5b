package dev.tally.billing.planning;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The draft lines of one subscription as of {@code asOf}: everything billable by then that its earlier
 * invoices do not already hold, in order of when it became billable.
 */
public record InvoicePlan(String currency, Instant asOf, List<PlannedLine> lines) {

    public InvoicePlan {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(asOf, "asOf");
        lines = List.copyOf(lines);
    }

    /**
     * The sum of the lines' {@code amountMinor}: each line is rounded once and the total is their exact sum,
     * never a rounding of the exact amounts' sum. May be negative (credits exceeding charges).
     *
     * @throws ArithmeticException if the sum does not fit a {@code long}
     */
    public long totalMinor() {
        long total = 0;
        for (PlannedLine line : lines) {
            total = Math.addExact(total, line.amountMinor());
        }
        return total;
    }

    /** Whether nothing new is billable. */
    public boolean isEmpty() {
        return lines.isEmpty();
    }
}
