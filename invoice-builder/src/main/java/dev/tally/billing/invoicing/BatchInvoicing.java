package dev.tally.billing.invoicing;

import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.draft.DraftIssuing;
import dev.tally.billing.invoice.BilledUsageDao;
import dev.tally.billing.invoice.InvoiceIssuer;
import dev.tally.billing.ledger.ExactDistinctCounter;
import dev.tally.billing.ledger.LedgerDao;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.WindowValuesDao;
import dev.tally.billing.planning.InvoicePlan;
import dev.tally.billing.planning.InvoicePlanner;
import dev.tally.billing.planning.InvoicedLine;
import dev.tally.billing.planning.PlannedPrice;
import dev.tally.billing.subscription.StoredSubscription;
import dev.tally.billing.subscription.Subscription;
import dev.tally.billing.subscription.SubscriptionDao;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * {@link SubscriptionInvoicing}'s bill of many claimed subscriptions at once, in the caller's transaction, with
 * the same result as billing them one after the other but in a few statements per batch instead of some twenty
 * per subscription: the subscriptions, their items, prices, invoiced lines, usage and customers' credit are
 * read once for the batch, each subscription is planned in memory, and the invoices, lines, ledger marks,
 * outbox events and next planning instants are written in batches.
 *
 * <p>Locks are taken in the order of {@link SubscriptionInvoicing}'s: the subscriptions (claimed), their
 * organizations' rows shared, their customers' rows (in id order), the ledger rows, and last the organizations'
 * invoice counters, from the numbering of the batch's invoices to the commit. A subscription whose planning fails (a price it cannot bill, an amount beyond the
 * money types, usage not complete yet) is left out of the writes and reported, the others are billed. A
 * subscription whose customer has another subscription earlier in the batch is not billed here but reported
 * {@link Result#sequential() sequential}: its credit balance depends on that other one's invoice.
 *
 * <p>Usage is read in one query for the batch: the planner asks for the same spans whatever the ledger
 * answers ({@link dev.tally.billing.planning.UsageSource}), so one planning with empty answers names them,
 * and the real planning reads them from what that query returned ({@link LedgerUsage#prefetch}).
 */
final class BatchInvoicing {

    /** A subscription whose planning failed, and why. */
    record Failure(String subscriptionId, RuntimeException cause) {}

    /**
     * What a batch did: the subscriptions invoiced, those with nothing new to bill, those that failed (nothing
     * written for them) and those left to bill one by one after this batch, in the same transaction.
     */
    record Result(List<String> invoiced, List<String> nothingNew, List<Failure> failed, List<String> sequential) {}

    /** A subscription of the batch being planned. */
    private record Planned(StoredSubscription stored, SubscriptionTimeline timeline, Map<String, PlannedPrice> prices) {
        Subscription subscription() {
            return stored.subscription();
        }
    }

    private final SubscriptionInvoicing invoicing;
    private final InvoiceIssuer issuer;
    private final Clock clock;

    BatchInvoicing(SubscriptionInvoicing invoicing, InvoiceIssuer issuer, Clock clock) {
        this.invoicing = invoicing;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** Bills claimed subscriptions {@code ids} as of {@code asOf} on {@code handle}. */
    Result bill(Handle handle, List<String> ids, Instant asOf) {
        SubscriptionDao subscriptions = handle.attach(SubscriptionDao.class);
        SubscriptionInvoicingDao dao = handle.attach(SubscriptionInvoicingDao.class);
        List<Subscription> claimed = subscriptions.claimed(ids);
        dao.shareOrganizations(
                claimed.stream().map(Subscription::organizationId).distinct().toList());

        List<String> sequential = new ArrayList<>();
        List<Subscription> batch = new ArrayList<>();
        Set<String> customers = new HashSet<>();
        for (Subscription subscription : claimed) {
            if (customers.add(subscription.customerId())) {
                batch.add(subscription);
            } else {
                sequential.add(subscription.id());
            }
        }
        dao.lockCustomers(List.copyOf(customers));

        List<Failure> failed = new ArrayList<>();
        Map<String, SubscriptionTimeline> timelines = new LinkedHashMap<>();
        Map<String, StoredSubscription> stored = new HashMap<>();
        for (StoredSubscription one : subscriptions.withItems(batch)) {
            try {
                timelines.put(one.subscription().id(), one.timeline());
                stored.put(one.subscription().id(), one);
            } catch (RuntimeException e) {
                failed.add(new Failure(one.subscription().id(), e));
            }
        }
        Map<List<Object>, Map<String, SubscriptionInvoicingDao.StoredPrice>> storedPrices =
                storedPrices(dao, stored.values(), timelines);
        Map<String, List<InvoicedLine>> invoiced = dao.invoicedLinesOf(ids).stream()
                .collect(Collectors.groupingBy(
                        SubscriptionInvoicingDao.SubscriptionLine::subscriptionId,
                        Collectors.mapping(SubscriptionInvoicingDao.SubscriptionLine::invoiced, Collectors.toList())));

        // plan once with empty usage to learn what each asks of the ledger
        Map<String, PlannedPrice> priceCache = new HashMap<>();
        List<Planned> planned = new ArrayList<>();
        Map<String, Set<LedgerUsage.Request>> requests = new HashMap<>();
        timelines.forEach((id, timeline) -> {
            Subscription subscription = stored.get(id).subscription();
            try {
                Map<String, SubscriptionInvoicingDao.StoredPrice> tenantPrices =
                        storedPrices.get(List.of(subscription.organizationId(), subscription.livemode()));
                Map<String, PlannedPrice> prices = new HashMap<>();
                for (String priceId : PlannedPrices.priceIds(timeline)) {
                    SubscriptionInvoicingDao.StoredPrice price = tenantPrices.get(priceId);
                    if (price != null) {
                        prices.put(priceId, priceCache.computeIfAbsent(priceId, p -> invoicing.plannedPrice(price)));
                    }
                }
                List<InvoicedLine> lines = invoiced.getOrDefault(id, List.of());
                requests.put(
                        id,
                        LedgerUsage.requestsOf(usage ->
                                InvoicePlanner.plan(timeline, subscription.currency(), prices, usage, lines, asOf)));
                planned.add(new Planned(stored.get(id), timeline, prices));
            } catch (RuntimeException e) {
                failed.add(new Failure(id, e));
            }
        });
        List<Subscription> toPlan = planned.stream().map(Planned::subscription).toList();
        Map<String, Map<LedgerUsage.Request, List<LedgerEntry>>> usageRows =
                LedgerUsage.prefetch(handle, toPlan, requests);
        Map<String, Map<String, Long>> balances = new BilledUsageDao(handle)
                .creditBalances(toPlan.stream().map(Subscription::customerId).toList());

        List<String> invoicedIds = new ArrayList<>();
        List<String> nothingNew = new ArrayList<>();
        List<InvoiceIssuer.Issue> issues = new ArrayList<>();
        Map<String, List<Long>> billedRows = new LinkedHashMap<>();
        List<String> nextIds = new ArrayList<>();
        List<String> nextAts = new ArrayList<>();
        for (Planned one : planned) {
            Subscription subscription = one.subscription();
            try {
                LedgerUsage usage = new LedgerUsage(
                        dao,
                        new ExactDistinctCounter(
                                handle.attach(WindowValuesDao.class),
                                subscription.organizationId(),
                                subscription.livemode()),
                        subscription,
                        usageRows.getOrDefault(subscription.id(), Map.of()));
                InvoicePlan asPlanned = InvoicePlanner.plan(
                        one.timeline(),
                        subscription.currency(),
                        one.prices(),
                        usage,
                        invoiced.getOrDefault(subscription.id(), List.of()),
                        asOf);
                // a lowering of an invoiced span may be a credit note instead, whose credit this invoice applies
                CycleCorrections.Result corrected =
                        CycleCorrections.apply(handle, invoicing.corrections(), subscription, asPlanned, usage);
                InvoicePlan plan = corrected.plan();
                Optional<Instant> next = InvoicePlanner.nextDueAt(one.timeline(), asOf);
                if (plan.isEmpty()) {
                    nothingNew.add(subscription.id());
                } else {
                    long balance = balances.getOrDefault(subscription.customerId(), Map.of())
                                    .getOrDefault(plan.currency(), 0L)
                            + corrected.balanceCreditMinor();
                    SubscriptionInvoicing.PlannedInvoice invoice =
                            SubscriptionInvoicing.invoiceOf(subscription, plan, one.prices(), usage, balance);
                    issues.add(invoice.issue());
                    billedRows.putAll(invoice.billedRows());
                    invoicedIds.add(subscription.id());
                }
                nextIds.add(subscription.id());
                nextAts.add(next.map(Instant::toString).orElse(null));
            } catch (RuntimeException e) {
                failed.add(new Failure(subscription.id(), e));
            }
        }

        issuer.draftAll(handle, issues);
        new LedgerDao(handle).markBilled(billedRows);
        if (!nextIds.isEmpty()) {
            dao.setNextPlanAts(nextIds, nextAts);
        }
        // last: from here to the commit the organizations' invoice counters are locked
        DraftIssuing.finalizeOrSchedule(issuer, handle, issues, clock.instant());
        return new Result(invoicedIds, nothingNew, failed, sequential);
    }

    /** The stored prices the batch's subscriptions name, by organization and mode, then price id. */
    private static Map<List<Object>, Map<String, SubscriptionInvoicingDao.StoredPrice>> storedPrices(
            SubscriptionInvoicingDao dao,
            Collection<StoredSubscription> batch,
            Map<String, SubscriptionTimeline> timelines) {
        Map<List<Object>, Set<String>> named = new HashMap<>();
        for (StoredSubscription one : batch) {
            Subscription subscription = one.subscription();
            named.computeIfAbsent(List.of(subscription.organizationId(), subscription.livemode()), t -> new HashSet<>())
                    .addAll(PlannedPrices.priceIds(timelines.get(subscription.id())));
        }
        Map<List<Object>, Map<String, SubscriptionInvoicingDao.StoredPrice>> prices = new HashMap<>();
        named.forEach((tenant, priceIds) -> {
            Map<String, SubscriptionInvoicingDao.StoredPrice> byId = new HashMap<>();
            dao.prices((String) tenant.get(0), (Boolean) tenant.get(1), List.copyOf(priceIds))
                    .forEach(price -> byId.put(price.id(), price));
            prices.put(tenant, byId);
        });
        return prices;
    }
}
