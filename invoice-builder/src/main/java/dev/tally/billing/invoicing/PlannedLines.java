package dev.tally.billing.invoicing;

import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.billing.planning.PlannedLine;
import dev.tally.billing.planning.PlannedPrice;
import dev.tally.billing.rating.PriceModel;
import java.math.BigDecimal;

/**
 * A planned line as an invoice stores it (pure). A flat fee in advance or in arrears is a {@code flat_fee};
 * an adjustment stores the difference as its quantity and what its key stood at before as its previous
 * quantity, as the period close's adjustments do; a flat fee shows its price's amount per unit.
 */
public final class PlannedLines {

    private PlannedLines() {}

    /** The line as an invoice stores it (also the upcoming invoice's view of a line it does not store). */
    public static InvoiceLine toInvoiceLine(
            String lineId, String invoiceId, String subscriptionId, PlannedLine line, PlannedPrice price) {
        PlannedLine.Billed before = line.adjusts();
        LineKind kind = kindOf(line.kind());
        BigDecimal unitAmount = kind != LineKind.USAGE
                        && kind != LineKind.ADJUSTMENT
                        && price.definition().model() instanceof PriceModel.Flat flat
                ? flat.flatAmount()
                : null;
        return new InvoiceLine(
                lineId,
                invoiceId,
                kind,
                line.priceId(),
                line.featureKey(),
                before == null ? line.quantity() : line.quantity().subtract(before.quantity()),
                unitAmount,
                line.amountMinor(),
                period(line.span()),
                before == null ? null : before.quantity(),
                line.eventCount(),
                line.description(),
                new InvoiceLine.SubscriptionLine(subscriptionId, line.key(), line.itemId()));
    }

    /** The kind an invoice stores a planned line as (also what the upcoming invoice shows). */
    public static LineKind kindOf(PlannedLine.Kind kind) {
        return switch (kind) {
            case IN_ADVANCE, IN_ARREARS -> LineKind.FLAT_FEE;
            case PRORATION_CREDIT -> LineKind.PRORATION_CREDIT;
            case PRORATION_CHARGE -> LineKind.PRORATION_CHARGE;
            case CANCELLATION_CREDIT -> LineKind.CANCELLATION_CREDIT;
            case USAGE -> LineKind.USAGE;
            case ADJUSTMENT -> LineKind.ADJUSTMENT;
        };
    }

    static UsagePeriod period(TimeSpan span) {
        return new UsagePeriod(span.from(), span.to());
    }
}
