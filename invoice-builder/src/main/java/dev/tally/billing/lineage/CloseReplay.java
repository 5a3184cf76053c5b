package dev.tally.billing.lineage;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.Rating;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.billing.ledger.DistinctCounter;
import dev.tally.billing.ledger.ExactDistinctCounter;
import dev.tally.billing.ledger.UsageMerge;
import dev.tally.billing.ledger.WindowValuesDao;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Recomputes an invoice of the period close with the close's own rating ({@link Rating#rate}) from its inputs
 * as they stood when it was written: the prices its usage lines cite (one usage line per subscribed price, in
 * order), the usage of its period (the rows its usage lines billed, merged as the close merges them), for each
 * adjustment the period's rows billed by it and by earlier invoices against the quantity those earlier
 * invoices billed, and the customer's credit from earlier invoices.
 */
final class CloseReplay {

    private CloseReplay() {}

    /** The lines {@code invoice} (of a closed period) recomputes to, in the rating's order. */
    static List<LineFigures> expected(Handle handle, Invoice invoice, List<InvoiceLine> stored) {
        LineageDao dao = handle.attach(LineageDao.class);
        DistinctCounter distinct = new ExactDistinctCounter(
                handle.attach(WindowValuesDao.class), invoice.organizationId(), invoice.livemode());
        List<InvoiceLine> usageLines =
                stored.stream().filter(line -> line.kind() == LineKind.USAGE).toList();
        Map<String, BigDecimal> unitAmounts = dao
                .unitPrices(
                        invoice.organizationId(),
                        invoice.livemode(),
                        usageLines.stream().map(InvoiceLine::priceId).toList())
                .stream()
                .collect(Collectors.toMap(LineageDao.UnitPrice::id, LineageDao.UnitPrice::unitAmount));
        List<Rating.SubscribedPrice> prices = new ArrayList<>();
        Map<String, BigDecimal> usage = new TreeMap<>();
        for (InvoiceLine line : usageLines) {
            prices.add(new Rating.SubscribedPrice(
                    line.priceId(), line.featureKey(), invoice.currency(), unitAmounts.get(line.priceId())));
            usage.put(line.featureKey(), UsageMerge.merge(dao.rowsOf(line.id()), distinct));
        }
        List<Rating.Adjustment> adjustments = new ArrayList<>();
        for (InvoiceLine line : stored) {
            if (line.kind() == LineKind.ADJUSTMENT) {
                UsagePeriod period = line.usagePeriod();
                adjustments.add(new Rating.Adjustment(
                        line.featureKey(),
                        period,
                        dao.billedQuantityBefore(invoice.id(), line.featureKey(), period.start(), period.end()),
                        UsageMerge.merge(
                                dao.periodRows(
                                        invoice.id(), line.id(), line.featureKey(), period.start(), period.end()),
                                distinct)));
            }
        }
        List<Rating.RatedLine> rated = Rating.rate(
                invoice.currency(),
                new UsagePeriod(invoice.periodStart(), invoice.periodEnd()),
                usage,
                adjustments,
                prices,
                dao.creditBefore(invoice.id()));
        return rated.stream().map(line -> figures(invoice, line)).toList();
    }

    private static LineFigures figures(Invoice invoice, Rating.RatedLine rated) {
        InvoiceLine line = new InvoiceLine(
                null,
                invoice.id(),
                rated.kind(),
                rated.priceId(),
                rated.featureKey(),
                rated.quantity(),
                rated.unitAmount(),
                rated.amountMinor(),
                rated.usagePeriod(),
                rated.previousQuantity());
        return LineFigures.of(LineFigures.closeMatch(line), line);
    }
}
