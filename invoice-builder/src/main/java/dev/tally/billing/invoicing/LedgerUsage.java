package dev.tally.billing.invoicing;

import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.ledger.DistinctCounter;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.UsageMerge;
import dev.tally.billing.planning.Usage;
import dev.tally.billing.planning.UsageSource;
import dev.tally.billing.subscription.Subscription;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's usage of one subscription's customer, as the planner asks for it: per usage span, the windows
 * starting in it ({@link SubscriptionInvoicingDao#usage}), each at its latest revision, merged by the meter's
 * aggregation ({@link UsageMerge}). It keeps the rows each span read, so that the lines billing a span mark
 * exactly those rows billed.
 */
final class LedgerUsage implements UsageSource {

    /** A span of one item at one price: what a usage line and its adjustments bill. */
    private record SpanKey(String itemId, String priceId, TimeSpan span) {}

    private final SubscriptionInvoicingDao dao;
    private final DistinctCounter distinct;
    private final Subscription subscription;
    private final Map<SpanKey, List<LedgerEntry>> read = new HashMap<>();

    LedgerUsage(SubscriptionInvoicingDao dao, DistinctCounter distinct, Subscription subscription) {
        this.dao = dao;
        this.distinct = distinct;
        this.subscription = subscription;
    }

    @Override
    public Usage usage(String itemId, String priceId, String featureKey, TimeSpan span) {
        List<LedgerEntry> rows = dao.usage(
                subscription.organizationId(),
                subscription.livemode(),
                subscription.customerExternalId(),
                featureKey,
                span.from(),
                span.to(),
                subscription.id());
        read.put(new SpanKey(itemId, priceId, span), rows);
        if (rows.isEmpty()) {
            return Usage.NONE;
        }
        return new Usage(UsageMerge.merge(rows, distinct), UsageMerge.eventCount(rows));
    }

    /** The rows of the span the planner read that no line billed yet (none if it was not read). */
    List<Long> unbilledRows(String itemId, String priceId, TimeSpan span) {
        return read.getOrDefault(new SpanKey(itemId, priceId, span), List.of()).stream()
                .filter(row -> row.invoiceLineId() == null)
                .map(LedgerEntry::id)
                .toList();
    }
}
