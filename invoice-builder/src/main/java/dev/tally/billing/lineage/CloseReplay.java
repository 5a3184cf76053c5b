package dev.tally.billing.lineage;

import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.invoice.BillingPeriodDao;
import dev.tally.billing.invoice.CloseRating;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.billing.ledger.DistinctCounter;
import dev.tally.billing.ledger.ExactDistinctCounter;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.UsageMerge;
import dev.tally.billing.ledger.WindowValuesDao;
import dev.tally.billing.planning.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Recomputes an invoice of the period close with the close's own rating ({@link CloseRating#rate}) from its
 * inputs as they stood when it was written: the prices its usage lines cite (one usage line per subscribed price,
 * in order), the usage of its period (the rows its usage lines billed, merged as the close merges them), for each
 * adjustment the period's rows billed by it and by earlier invoices against what those earlier invoices billed
 * (price, quantity, amount) less what credit notes of late usage took off the period before it, and the customer's
 * credit from earlier invoices.
 */
final class CloseReplay {

    private CloseReplay() {}

    /** The lines {@code invoice} (of a closed period) recomputes to, in the rating's order. */
    static List<LineFigures> expected(
            Handle handle, StoredPriceDefinitions definitions, Invoice invoice, List<InvoiceLine> stored) {
        LineageDao dao = handle.attach(LineageDao.class);
        DistinctCounter distinct = new ExactDistinctCounter(
                handle.attach(WindowValuesDao.class), invoice.organizationId(), invoice.livemode());
        UsagePeriod closed = new UsagePeriod(invoice.periodStart(), invoice.periodEnd());

        Map<CloseRating.Group, Usage> usage = new LinkedHashMap<>();
        Map<CloseRating.Group, CloseRating.Billed> billed = new LinkedHashMap<>();
        Set<String> priceIds = new HashSet<>();
        List<String> subscribedIds = new ArrayList<>();
        for (InvoiceLine line : stored) {
            if (line.kind() == LineKind.USAGE) {
                subscribedIds.add(line.priceId());
                priceIds.add(line.priceId());
                usage.put(new CloseRating.Group(line.featureKey(), closed), usageOf(dao.rowsOf(line.id()), distinct));
            } else if (line.kind() == LineKind.ADJUSTMENT) {
                UsagePeriod period = line.usagePeriod();
                CloseRating.Group group = new CloseRating.Group(line.featureKey(), period);
                usage.put(
                        group,
                        usageOf(
                                dao.periodRows(
                                        invoice.id(), line.id(), line.featureKey(), period.start(), period.end()),
                                distinct));
                LineageDao.BilledBefore before =
                        dao.billedBefore(invoice.id(), line.featureKey(), period.start(), period.end());
                if (before.amountMinor() != null) {
                    LineageDao.CorrectedBefore corrected =
                            dao.correctedBefore(invoice.id(), line.featureKey(), period.start(), period.end());
                    billed.put(
                            group,
                            new CloseRating.Billed(before.priceId(), before.quantity(), before.amountMinor())
                                    .less(new CloseRating.Billed(null, corrected.quantity(), corrected.amountMinor())));
                    priceIds.add(before.priceId());
                }
            }
        }
        Map<String, CloseRating.Price> prices = new HashMap<>();
        new BillingPeriodDao(handle)
                .usagePrices(invoice.organizationId(), invoice.livemode(), priceIds)
                .forEach(price -> prices.put(
                        price.id(),
                        new CloseRating.Price(
                                price.id(), price.featureKey(), definitions.read(price.id(), price.definition()))));
        List<CloseRating.Price> subscribed =
                subscribedIds.stream().map(prices::get).toList();
        Map<String, CloseRating.Price> billedPrices = new HashMap<>();
        billed.values().forEach(b -> billedPrices.put(b.priceId(), prices.get(b.priceId())));

        List<CloseRating.RatedLine> rated = CloseRating.rate(
                        new CloseRating.CustomerUsage(closed, subscribed, usage, billed, billedPrices),
                        Map.of(invoice.currency(), dao.creditBefore(invoice.id())))
                .getOrDefault(invoice.currency(), List.of());
        return rated.stream().map(line -> figures(invoice, line)).toList();
    }

    private static Usage usageOf(List<LedgerEntry> rows, DistinctCounter distinct) {
        return new Usage(UsageMerge.merge(rows, distinct), UsageMerge.eventCount(rows));
    }

    private static LineFigures figures(Invoice invoice, CloseRating.RatedLine rated) {
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
                rated.previousQuantity(),
                rated.eventCount(),
                null,
                null);
        return LineFigures.of(LineFigures.closeMatch(line), line);
    }
}
