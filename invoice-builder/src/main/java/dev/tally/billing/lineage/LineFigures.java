package dev.tally.billing.lineage;

import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What verification compares of one invoice line, stored or recomputed: its kind, price and figures, as the
 * invoice stores them (an adjustment's quantity is the difference and {@code previousQuantity} what it stood
 * at before).
 *
 * @param match what pairs a stored line with its recomputation: a subscription line's key, {@code credit} for
 *     the credit line, else the kind, price and period of a period close's line
 * @param lineId the stored line's id; null for a recomputed line
 * @param eventCount the events behind a subscription's line; null on the close's lines, which store none
 */
public record LineFigures(
        String match,
        String lineId,
        LineKind kind,
        String priceId,
        BigDecimal quantity,
        BigDecimal previousQuantity,
        Long eventCount,
        long amountMinor) {

    /** The match of every credit line: an invoice has at most one. */
    static final String CREDIT = "credit";

    public LineFigures {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(quantity, "quantity");
    }

    /** {@code line} as stored (or as it would be stored), paired by {@code match}. */
    static LineFigures of(String match, InvoiceLine line) {
        return new LineFigures(
                match,
                line.id(),
                line.kind(),
                line.priceId(),
                line.quantity(),
                line.previousQuantity(),
                line.eventCount(),
                line.amountMinor());
    }

    /**
     * The match of a line that is not a subscription's: credit, a one-off line's own id (it is its own input), or
     * the close's kind, price and period.
     */
    static String closeMatch(InvoiceLine line) {
        if (line.kind() == LineKind.ONE_OFF) {
            return "one_off|" + line.id();
        }
        if (!line.kind().billsASpan()) {
            return CREDIT;
        }
        return line.kind().text() + "|" + line.priceId() + "|"
                + line.usagePeriod().start() + "|" + line.usagePeriod().end();
    }

    /** Whether {@code other} says the same: kind, price, quantities (by value), events and amount. */
    boolean sameAs(LineFigures other) {
        return kind == other.kind
                && Objects.equals(priceId, other.priceId)
                && quantity.compareTo(other.quantity) == 0
                && sameQuantity(previousQuantity, other.previousQuantity)
                && Objects.equals(eventCount, other.eventCount)
                && amountMinor == other.amountMinor;
    }

    private static boolean sameQuantity(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }
}
