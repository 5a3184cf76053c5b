package dev.tally.billing.invoicing;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.Ids;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.cycle.ItemChange;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.invoice.BilledUsageDao;
import dev.tally.billing.invoice.BillingPeriodDao;
import dev.tally.billing.invoice.CustomerCredit;
import dev.tally.billing.invoice.Invoice;
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
import dev.tally.billing.rating.PriceDefinition;
import dev.tally.billing.subscription.StoredSubscription;
import dev.tally.billing.subscription.Subscription;
import dev.tally.billing.subscription.SubscriptionDao;
import dev.tally.schemas.topic.Topics;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Bills one subscription as of an instant, in ONE transaction: lock the subscription, load its facts, its
 * prices, the ledger's usage of each usage span (see {@link LedgerUsage}) and the lines it was invoiced,
 * {@link InvoicePlanner plan}, and write what the plan holds as ONE finalized invoice (if it holds any line),
 * its lines keyed once per subscription ({@code UNIQUE (subscription_id, line_key)}), the ledger rows its
 * usage lines used marked billed by them, the customer's credit rule applied, and its {@code InvoiceEvent
 * FINALIZED} in the outbox (through {@link InvoiceIssuer}, as the period close). The subscription is then due
 * again at the planner's next due instant.
 *
 * <p>The organization's row is locked right after the subscription: it numbers invoices, and it serializes
 * every writer of an organization's invoice lines (this one and the period close), so a ledger row is billed
 * by at most one line and each reads the other's lines committed. Locks are taken in one order everywhere:
 * subscription, organization, ledger rows.
 */
@Singleton
public final class SubscriptionInvoicing {

    private final BillingDatabase database;
    private final BillingOutboxRelay relay;
    private final InvoiceIssuer issuer;
    private final StoredPriceDefinitions definitions;
    private final Clock clock;

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

    /** {@link #bill} in the caller's transaction on {@code handle}; the outbox relay is the caller's to wake. */
    public Billing billIn(Handle handle, String subscriptionId, Instant asOf) {
        Objects.requireNonNull(asOf, "asOf");
        SubscriptionDao subscriptions = handle.attach(SubscriptionDao.class);
        SubscriptionInvoicingDao dao = handle.attach(SubscriptionInvoicingDao.class);
        Subscription subscription = subscriptions
                .lockForBilling(subscriptionId)
                .orElseThrow(() -> BillingException.notFound("subscription " + subscriptionId));
        BillingPeriodDao organizations = new BillingPeriodDao(handle);
        long nextNumber =
                organizations.lockOrganization(subscription.organizationId()).orElseThrow();
        StoredSubscription stored =
                subscriptions.withItems(List.of(subscription)).getFirst();
        SubscriptionTimeline timeline = stored.timeline();
        Map<String, PlannedPrice> prices = prices(dao, subscription, timeline);
        LedgerUsage usage = new LedgerUsage(
                dao,
                new ExactDistinctCounter(
                        handle.attach(WindowValuesDao.class), subscription.organizationId(), subscription.livemode()),
                subscription);
        InvoicePlan plan = InvoicePlanner.plan(
                timeline, subscription.currency(), prices, usage, dao.invoicedLines(subscriptionId), asOf);
        Optional<Invoice> invoice = Optional.empty();
        if (!plan.isEmpty()) {
            invoice = Optional.of(write(handle, subscription, plan, prices, usage, nextNumber));
            organizations.setNextInvoiceNumber(subscription.organizationId(), nextNumber + 1);
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
            LedgerUsage usage,
            long number) {
        String invoiceId = Ids.next("inv");
        InvoiceIssuer.Writing invoice = issuer.open(
                handle,
                new InvoiceDraft(
                        invoiceId,
                        InvoiceIssuer.number(number),
                        subscription.organizationId(),
                        subscription.livemode(),
                        subscription.customerId(),
                        subscription.customerExternalId(),
                        null,
                        subscription.id(),
                        plan.currency(),
                        spanOf(plan.lines())));
        LedgerDao ledger = new LedgerDao(handle);
        for (PlannedLine line : plan.lines()) {
            String lineId = Ids.next("il");
            InvoiceLine stored =
                    PlannedLines.toInvoiceLine(lineId, invoiceId, subscription.id(), line, prices.get(line.priceId()));
            invoice.add(stored);
            if (line.featureKey() != null
                    && (stored.kind() == LineKind.USAGE || stored.kind() == LineKind.ADJUSTMENT)) {
                ledger.markBilled(usage.unbilledRows(line.itemId(), line.priceId(), line.span()), lineId);
            }
        }
        long balance = new BilledUsageDao(handle).creditBalance(subscription.customerId(), plan.currency());
        CustomerCredit.of(invoice.totalMinor(), balance)
                .ifPresent(credit -> invoice.add(credit.line(Ids.next("il"), invoiceId, plan.currency())));
        return invoice.finish(clock.instant());
    }

    /** Every price the subscription's items name, as the planner reads it. */
    private Map<String, PlannedPrice> prices(
            SubscriptionInvoicingDao dao, Subscription subscription, SubscriptionTimeline timeline) {
        List<String> ids = timeline.facts().items().stream()
                .filter(change -> !change.isRemoval())
                .map(ItemChange::priceId)
                .distinct()
                .toList();
        Map<String, PlannedPrice> prices = new HashMap<>();
        for (SubscriptionInvoicingDao.StoredPrice price :
                dao.prices(subscription.organizationId(), subscription.livemode(), ids)) {
            PriceDefinition definition = definitions.read(price.id(), price.definition());
            prices.put(
                    price.id(),
                    new PlannedPrice(
                            price.name(),
                            definition,
                            definition.model().kind().ratesUsage() ? price.featureKey() : null));
        }
        return prices;
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
