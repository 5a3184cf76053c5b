package dev.tally.billing.lineage;

import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.cycle.SubscriptionFacts;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.invoice.CustomerCredit;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoicing.LedgerUsage;
import dev.tally.billing.invoicing.PlannedLines;
import dev.tally.billing.invoicing.PlannedPrices;
import dev.tally.billing.invoicing.SubscriptionInvoicingDao;
import dev.tally.billing.ledger.DistinctCounter;
import dev.tally.billing.ledger.ExactDistinctCounter;
import dev.tally.billing.ledger.WindowValuesDao;
import dev.tally.billing.planning.InvoicePlan;
import dev.tally.billing.planning.InvoicePlanner;
import dev.tally.billing.planning.PlannedLine;
import dev.tally.billing.planning.PlannedPrice;
import dev.tally.billing.planning.UsageSource;
import dev.tally.billing.subscription.StoredSubscription;
import dev.tally.billing.subscription.Subscription;
import dev.tally.billing.subscription.SubscriptionDao;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Recomputes an invoice of the billing cycle (one subscription's) with the pure {@link InvoicePlanner} from
 * its inputs as they stood when it was written:
 *
 * <ul>
 *   <li>the usage of each usage span: the ledger rows the span's lines billed on this invoice and earlier
 *       ones (the rows the cycle read then; a restatement recorded later is billed by a later invoice and
 *       changes nothing here), merged as the cycle merges them ({@link LedgerUsage#usage});
 *   <li>the lines of the subscription's earlier invoices, which the planner subtracts key by key;
 *   <li>the subscription's timeline, without a cancellation asked after the invoice was written;
 *   <li>the prices its items cite, read as the cycle reads them ({@link PlannedPrices});
 *   <li>the customer's credit from earlier invoices, applied by {@link CustomerCredit}.
 * </ul>
 *
 * The planner is asked as of the instant the invoice was finalized, at or after the cycle's own {@code asOf}
 * (see {@link #asOf}):
 * the lines it plans that the invoice does not hold and that became billable after the invoice's latest line
 * are left to later invoices; one that was billable by then is a line the invoice lacks.
 */
final class SubscriptionReplay {

    private SubscriptionReplay() {}

    /** The lines {@code invoice} (of a subscription) recomputes to, in the planner's order, then its credit. */
    static List<LineFigures> expected(
            Handle handle, StoredPriceDefinitions definitions, Invoice invoice, List<InvoiceLine> stored) {
        StoredSubscription subscription = handle.attach(SubscriptionDao.class)
                .load(invoice.organizationId(), invoice.livemode(), invoice.subscriptionId())
                .orElseThrow(
                        () -> new IllegalStateException("invoice " + invoice.id() + " names a missing subscription"));
        Instant asOf = asOf(invoice, stored);
        SubscriptionTimeline timeline = SubscriptionTimeline.of(factsAsOf(subscription, asOf));
        Subscription s = subscription.subscription();
        Map<String, PlannedPrice> prices =
                PlannedPrices.of(handle.attach(SubscriptionInvoicingDao.class), definitions, s, timeline);
        LineageDao dao = handle.attach(LineageDao.class);
        DistinctCounter distinct =
                new ExactDistinctCounter(handle.attach(WindowValuesDao.class), s.organizationId(), s.livemode());
        UsageSource usage = (itemId, priceId, featureKey, span) -> LedgerUsage.usage(
                dao.spanRows(invoice.id(), s.id(), itemId, priceId, span.from(), span.to()), distinct);
        InvoicePlan plan = InvoicePlanner.plan(
                timeline, s.currency(), prices, usage, dao.invoicedBefore(invoice.id(), s.id()), asOf);

        Set<String> storedKeys = stored.stream()
                .filter(line -> line.subscriptionLine() != null)
                .map(line -> line.subscriptionLine().key())
                .collect(Collectors.toSet());
        Instant latestBilled = plan.lines().stream()
                .filter(line -> storedKeys.contains(line.key()))
                .map(SubscriptionReplay::billableNoLaterThan)
                .flatMap(Optional::stream)
                .max(Instant::compareTo)
                .orElse(Instant.MIN);
        List<LineFigures> expected = new ArrayList<>();
        long subtotal = 0;
        for (PlannedLine line : plan.lines()) {
            boolean lacking = !storedKeys.contains(line.key())
                    && exactlyBillableAt(line)
                            .filter(at -> !at.isAfter(latestBilled))
                            .isPresent();
            if (storedKeys.contains(line.key()) || lacking) {
                InvoiceLine asStored =
                        PlannedLines.toInvoiceLine(null, invoice.id(), s.id(), line, prices.get(line.priceId()));
                expected.add(LineFigures.of(line.key(), asStored));
                subtotal = Math.addExact(subtotal, line.amountMinor());
            }
        }
        CustomerCredit.of(subtotal, dao.creditBefore(invoice.id()))
                .ifPresent(credit -> expected.add(new LineFigures(
                        LineFigures.CREDIT,
                        null,
                        credit.kind(),
                        null,
                        BigDecimal.ONE,
                        null,
                        null,
                        credit.amountMinor())));
        return expected;
    }

    /**
     * An instant at or after the cycle's {@code asOf} for {@code invoice}: when it was finalized (the cycle
     * bills as of no later than its clock's now), or the end of its latest line's span if a clock behind the
     * planned instant finalized it.
     */
    private static Instant asOf(Invoice invoice, List<InvoiceLine> stored) {
        Instant finalized = invoice.finalizedAt() != null ? invoice.finalizedAt() : invoice.createdAt();
        return stored.stream()
                .filter(line -> line.usagePeriod() != null)
                .map(line -> line.usagePeriod().end())
                .filter(end -> end.isAfter(finalized))
                .max(Instant::compareTo)
                .orElse(finalized);
    }

    /**
     * The subscription's facts as the invoice's writer knew them: a cancellation is asked at {@code
     * canceledAt}, so one asked after {@code asOf} is not among them. Item changes are rows never updated, each
     * taking effect at its own instant; one recorded later with a backdated instant is not told apart (the
     * history keeps no recording time) and shows as a difference.
     */
    static SubscriptionFacts factsAsOf(StoredSubscription subscription, Instant asOf) {
        SubscriptionFacts facts = subscription.facts();
        Instant asked = subscription.subscription().canceledAt();
        return asked != null && asked.isAfter(asOf) ? facts.withCancellation(null) : facts;
    }

    /** When a planned line became billable, where its kind and span tell exactly. */
    private static Optional<Instant> exactlyBillableAt(PlannedLine line) {
        return switch (line.kind()) {
            case IN_ADVANCE, PRORATION_CREDIT, PRORATION_CHARGE, CANCELLATION_CREDIT ->
                Optional.of(line.span().from());
            case USAGE -> Optional.of(line.span().to());
            // in arrears: at the end of the period's billed part, which the span may end before; an adjustment:
            // whenever its restatement arrived
            case IN_ARREARS, ADJUSTMENT -> Optional.empty();
        };
    }

    /** An instant by which the line was billable at the latest (an in-arrears fee: at or after its span's end). */
    private static Optional<Instant> billableNoLaterThan(PlannedLine line) {
        return line.kind() == PlannedLine.Kind.IN_ARREARS
                ? Optional.of(line.span().to())
                : exactlyBillableAt(line);
    }
}
