package dev.tally.billing.invoicing;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.Ids;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.creditnote.UsageCorrections;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.draft.DraftIssuing;
import dev.tally.billing.invoice.BilledUsageDao;
import dev.tally.billing.invoice.CustomerCredit;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceDraft;
import dev.tally.billing.invoice.InvoiceIssuer;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.billing.ledger.ExactDistinctCounter;
import dev.tally.billing.ledger.LedgerDao;
import dev.tally.billing.ledger.WindowValuesDao;
import dev.tally.billing.planning.InvoicePlan;
import dev.tally.billing.planning.InvoicePlanner;
import dev.tally.billing.planning.PlannedLine;
import dev.tally.billing.planning.PlannedPrice;
import dev.tally.billing.subscription.StoredSubscription;
import dev.tally.billing.subscription.Subscription;
import dev.tally.billing.subscription.SubscriptionDao;
import dev.tally.schemas.topic.Topics;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Bills one subscription as of an instant, in ONE transaction: lock the subscription, load its facts, its
 * prices, the ledger's usage of each usage span (see {@link LedgerUsage}) and the lines it was invoiced,
 * {@link InvoicePlanner plan}, and write what the plan holds as ONE invoice (if it holds any line), a draft until
 * its organization's auto-finalize delay has passed or finalized at once with a zero delay ({@link DraftIssuing}),
 * its lines keyed once per subscription ({@code UNIQUE (subscription_id, line_key)}), the ledger rows its
 * usage lines used marked billed by them, the customer's credit rule applied, and once finalized its {@code
 * InvoiceEvent FINALIZED} in the outbox (through {@link InvoiceIssuer}, as the period close). The subscription is then due
 * again at the planner's next due instant.
 *
 * <p>Locks are taken in one order everywhere: the subscription, its organization's row {@code FOR SHARE} (the
 * period close holds it {@code FOR UPDATE}, so the close and the cycle never write an organization's lines at the
 * same time, while the cycle's bills of one organization run side by side), the customer's row (two bills of
 * one customer run one after the other, so each reads the other's lines and credit committed, and a ledger row
 * is billed by at most one line), the ledger rows, and last the organization's invoice counter, held from the
 * numbering to the commit ({@link InvoiceIssuer#finalizeAll}).
 */
@Singleton
public final class SubscriptionInvoicing {

    private final BillingDatabase database;
    private final BillingOutboxRelay relay;
    private final InvoiceIssuer issuer;
    private final StoredPriceDefinitions definitions;
    private final Clock clock;
    private final BatchInvoicing batch;
    private final UsageCorrections corrections;

    public SubscriptionInvoicing(
            BillingDatabase database,
            BillingOutboxRelay relay,
            Topics topics,
            StoredPriceDefinitions definitions,
            @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.relay = relay;
        this.issuer = new InvoiceIssuer(database, topics);
        this.definitions = definitions;
        this.clock = clock;
        this.corrections = new UsageCorrections(database.outbox(), topics);
        this.batch = new BatchInvoicing(this, issuer, clock);
    }

    /**
     * What one bill did: the invoice it wrote (none when nothing new was billable) and when the subscription
     * is due again (none: never, unless it changes).
     */
    public record Billing(Optional<Invoice> invoice, Optional<Instant> nextPlanAt) {}

    /**
     * Bills subscription {@code subscriptionId} as of {@code asOf} in a transaction of its own. Usage is taken
     * as the ledger holds it: bill no later than usage is final ({@link BillingCycleWorker} does so).
     *
     * @throws BillingException (not found) if there is no such subscription
     */
    public Billing bill(String subscriptionId, Instant asOf) {
        Billing billing = database.jdbi().inTransaction(handle -> billIn(handle, subscriptionId, asOf));
        if (billing.invoice().isPresent()) {
            relay.wakeUp();
        }
        return billing;
    }

    /**
     * Bills claimed (locked) subscriptions {@code ids} as of {@code asOf} in the caller's transaction, as {@link
     * #billIn} would one by one, in a few statements for them all ({@link BatchInvoicing}); the outbox relay is
     * the caller's to wake.
     */
    BatchInvoicing.Result billAllIn(Handle handle, List<String> ids, Instant asOf) {
        return batch.bill(handle, ids, asOf);
    }

    /** {@link #bill} in the caller's transaction on {@code handle}; the outbox relay is the caller's to wake. */
    public Billing billIn(Handle handle, String subscriptionId, Instant asOf) {
        Objects.requireNonNull(asOf, "asOf");
        SubscriptionDao subscriptions = handle.attach(SubscriptionDao.class);
        SubscriptionInvoicingDao dao = handle.attach(SubscriptionInvoicingDao.class);
        Subscription subscription = subscriptions
                .lockForBilling(subscriptionId)
                .orElseThrow(() -> BillingException.notFound("subscription " + subscriptionId));
        dao.shareOrganizations(List.of(subscription.organizationId()));
        dao.lockCustomers(List.of(subscription.customerId()));
        StoredSubscription stored =
                subscriptions.withItems(List.of(subscription)).getFirst();
        SubscriptionTimeline timeline = stored.timeline();
        Map<String, PlannedPrice> prices = PlannedPrices.of(dao, definitions, subscription, timeline);
        LedgerUsage usage = new LedgerUsage(
                dao,
                new ExactDistinctCounter(
                        handle.attach(WindowValuesDao.class), subscription.organizationId(), subscription.livemode()),
                subscription);
        InvoicePlan plan = InvoicePlanner.plan(
                timeline, subscription.currency(), prices, usage, dao.invoicedLines(subscriptionId), asOf);
        // a lowering of an invoiced span may be a credit note instead (the balance read below counts its credit)
        plan = CycleCorrections.apply(handle, corrections, subscription, plan, usage)
                .plan();
        Optional<Invoice> invoice = Optional.empty();
        if (!plan.isEmpty()) {
            invoice = Optional.of(write(handle, subscription, plan, prices, usage));
        }
        Optional<Instant> next = InvoicePlanner.nextDueAt(timeline, asOf);
        dao.setNextPlanAt(subscriptionId, next.orElse(null));
        return new Billing(invoice, next);
    }

    private Invoice write(
            Handle handle,
            Subscription subscription,
            InvoicePlan plan,
            Map<String, PlannedPrice> prices,
            LedgerUsage usage) {
        long balance = new BilledUsageDao(handle).creditBalance(subscription.customerId(), plan.currency());
        PlannedInvoice planned = invoiceOf(subscription, plan, prices, usage, balance);
        issuer.draftAll(handle, List.of(planned.issue()));
        new LedgerDao(handle).markBilled(planned.billedRows());
        DraftIssuing.finalizeOrSchedule(issuer, handle, List.of(planned.issue()), clock.instant());
        InvoiceDraft draft = planned.issue().draft();
        return new InvoiceDao(handle)
                .invoice(draft.organizationId(), draft.livemode(), draft.id())
                .orElseThrow();
    }

    /**
     * An invoice to write and, by line id, the ledger rows its usage lines (and their adjustments) bill: the
     * rows the planner read that no line billed yet.
     */
    record PlannedInvoice(InvoiceIssuer.Issue issue, Map<String, List<Long>> billedRows) {}

    /**
     * The invoice (a draft, numbered as it is finalized) that {@code plan} (not empty) makes of {@code subscription}: its lines
     * in the plan's order, then the line applying or carrying forward the customer's credit ({@link
     * CustomerCredit}) given its credit balance {@code creditBalance} in the plan's currency.
     *
     * @throws dev.tally.billing.invoice.AmountTooLargeException if the total does not fit a {@code long}
     */
    static PlannedInvoice invoiceOf(
            Subscription subscription,
            InvoicePlan plan,
            Map<String, PlannedPrice> prices,
            LedgerUsage usage,
            long creditBalance) {
        String invoiceId = Ids.next("inv");
        InvoiceDraft draft = new InvoiceDraft(
                invoiceId,
                null,
                subscription.organizationId(),
                subscription.livemode(),
                subscription.customerId(),
                subscription.customerExternalId(),
                null,
                subscription.id(),
                plan.currency(),
                spanOf(plan.lines()));
        List<InvoiceLine> lines = new ArrayList<>();
        Map<String, List<Long>> billed = new LinkedHashMap<>();
        for (PlannedLine line : plan.lines()) {
            String lineId = Ids.next("il");
            InvoiceLine stored =
                    PlannedLines.toInvoiceLine(lineId, invoiceId, subscription.id(), line, prices.get(line.priceId()));
            lines.add(stored);
            if (line.featureKey() != null
                    && (stored.kind() == LineKind.USAGE || stored.kind() == LineKind.ADJUSTMENT)) {
                billed.put(lineId, usage.unbilledRows(line.itemId(), line.priceId(), line.span()));
            }
        }
        long subtotal = InvoiceIssuer.Issue.of(draft, lines).totalMinor();
        CustomerCredit.of(subtotal, creditBalance)
                .ifPresent(credit -> lines.add(credit.line(Ids.next("il"), invoiceId, plan.currency())));
        return new PlannedInvoice(InvoiceIssuer.Issue.of(draft, lines), billed);
    }

    /** The late-usage credit notes of the cycle's bills ({@link CycleCorrections}), for the batch too. */
    UsageCorrections corrections() {
        return corrections;
    }

    /** A stored price as the planner reads it (for the batch, which reads prices once per batch). */
    PlannedPrice plannedPrice(SubscriptionInvoicingDao.StoredPrice price) {
        return PlannedPrices.of(definitions, price);
    }

    /** From the earliest span's start to the latest span's end of {@code lines}. */
    private static UsagePeriod spanOf(List<PlannedLine> lines) {
        Instant from = lines.stream()
                .map(line -> line.span().from())
                .min(Comparator.naturalOrder())
                .orElseThrow();
        Instant to = lines.stream()
                .map(line -> line.span().to())
                .max(Comparator.naturalOrder())
                .orElseThrow();
        return new UsagePeriod(from, to);
    }
}
