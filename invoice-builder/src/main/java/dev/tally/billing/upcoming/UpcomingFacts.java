package dev.tally.billing.upcoming;

import dev.tally.billing.BillingException;
import dev.tally.billing.catalog.Customer;
import dev.tally.billing.catalog.CustomerDao;
import dev.tally.billing.catalog.CustomerRules;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.invoice.BilledUsageDao;
import dev.tally.billing.invoicing.LedgerUsage;
import dev.tally.billing.invoicing.PlannedPrices;
import dev.tally.billing.invoicing.SubscriptionInvoicingDao;
import dev.tally.billing.ledger.DistinctCounter;
import dev.tally.billing.ledger.ExactDistinctCounter;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.WindowValuesDao;
import dev.tally.billing.planning.InvoicePlanner;
import dev.tally.billing.planning.InvoicedLine;
import dev.tally.billing.planning.PlannedPrice;
import dev.tally.billing.subscription.StoredSubscription;
import dev.tally.billing.subscription.Subscription;
import dev.tally.billing.subscription.SubscriptionDao;
import dev.tally.billing.web.ApiKeyPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * What the upcoming invoice reads from the database, all of it in one transaction before metering is asked
 * anything: the customer, its subscriptions of the drafted currency in force now with their prices, invoiced
 * lines and the ledger's rows of each usage span the planner will ask for (distinct values counted), and the
 * customer's credit balance.
 *
 * @param customer the customer drafted
 * @param currency the currency drafted; null only for a customer with no subscription and no currency
 * @param subscriptions the subscriptions drafted, in the order the billing cycle bills them at their periods'
 *     ends (by that end, then id: what it claims first)
 * @param creditBalanceMinor the customer's credit carried forward and not yet applied, in {@code currency}
 */
record UpcomingFacts(
        Customer customer, String currency, List<SubscriptionFacts> subscriptions, long creditBalanceMinor) {

    /**
     * A subscription to draft: its prices, the lines it was invoiced, the instant it is planned as of (its
     * current period's end) and, per request of the planner, the ledger's rows of the span.
     */
    record SubscriptionFacts(
            StoredSubscription stored,
            Map<String, PlannedPrice> prices,
            List<InvoicedLine> invoiced,
            Instant planAt,
            Map<LedgerUsage.Request, UpcomingUsage.LedgerSpan> ledger) {

        Subscription subscription() {
            return stored.subscription();
        }

        SubscriptionTimeline timeline() {
            return stored.timeline();
        }
    }

    /**
     * Reads the facts of customer {@code reference} (its id or external id) of {@code key}'s organization and
     * mode in {@code requested} currency (null: the customer's, else the one its subscriptions bill in).
     *
     * @throws BillingException not found for no such customer; invalid ({@code currency}) when the subscriptions
     *     bill in several currencies and none is named
     */
    static UpcomingFacts read(
            Handle handle,
            StoredPriceDefinitions definitions,
            ApiKeyPrincipal key,
            String reference,
            String requested,
            Instant now) {
        Customer customer = handle.attach(CustomerDao.class)
                .findByIdOrExternalId(key.organizationId(), key.livemode(), reference)
                .orElseThrow(() -> BillingException.notFound("customer " + reference));
        SubscriptionDao subscriptions = handle.attach(SubscriptionDao.class);
        List<StoredSubscription> current = subscriptions.withItems(subscriptions.ofCustomer(customer.id())).stream()
                .filter(s -> inForce(s.timeline(), now))
                .toList();
        String currency = currency(customer, current, requested);
        SubscriptionInvoicingDao dao = handle.attach(SubscriptionInvoicingDao.class);
        List<SubscriptionFacts> chosen = new ArrayList<>();
        Map<String, Set<LedgerUsage.Request>> requests = new HashMap<>();
        for (StoredSubscription stored : current) {
            Subscription subscription = stored.subscription();
            if (!subscription.currency().equals(currency)) {
                continue;
            }
            SubscriptionTimeline timeline = stored.timeline();
            Map<String, PlannedPrice> prices = PlannedPrices.of(dao, definitions, subscription, timeline);
            List<InvoicedLine> invoiced = dao.invoicedLines(subscription.id());
            Instant planAt = timeline.periodAt(now).end();
            // the planner asks for the same spans whatever the answers: one planning with none names them all
            requests.put(
                    subscription.id(),
                    LedgerUsage.requestsOf(
                            usage -> InvoicePlanner.plan(timeline, currency, prices, usage, invoiced, planAt)));
            chosen.add(new SubscriptionFacts(stored, prices, invoiced, planAt, Map.of()));
        }
        Map<String, Map<LedgerUsage.Request, List<LedgerEntry>>> rows = LedgerUsage.prefetch(
                handle, chosen.stream().map(SubscriptionFacts::subscription).toList(), requests);
        List<SubscriptionFacts> drafted = new ArrayList<>();
        for (SubscriptionFacts one : chosen) {
            Subscription subscription = one.subscription();
            DistinctCounter distinct = new ExactDistinctCounter(
                    handle.attach(WindowValuesDao.class), subscription.organizationId(), subscription.livemode());
            Map<LedgerUsage.Request, UpcomingUsage.LedgerSpan> ledger = new LinkedHashMap<>();
            rows.getOrDefault(subscription.id(), Map.of())
                    .forEach((request, spanRows) -> ledger.put(
                            request, new UpcomingUsage.LedgerSpan(spanRows, LedgerUsage.usage(spanRows, distinct))));
            drafted.add(new SubscriptionFacts(one.stored(), one.prices(), one.invoiced(), one.planAt(), ledger));
        }
        drafted.sort(Comparator.comparing(SubscriptionFacts::planAt)
                .thenComparing(s -> s.subscription().id()));
        long balance = currency == null ? 0 : new BilledUsageDao(handle).creditBalance(customer.id(), currency);
        return new UpcomingFacts(customer, currency, List.copyOf(drafted), balance);
    }

    /** Whether the subscription has started and not ended at {@code now}. */
    private static boolean inForce(SubscriptionTimeline timeline, Instant now) {
        return !now.isBefore(timeline.facts().startAt())
                && timeline.endsAt().map(now::isBefore).orElse(true);
    }

    private static String currency(Customer customer, List<StoredSubscription> current, String requested) {
        if (requested != null) {
            return CustomerRules.currency("currency", requested);
        }
        if (customer.currency() != null) {
            return customer.currency();
        }
        SortedSet<String> billed = new TreeSet<>();
        current.forEach(s -> billed.add(s.subscription().currency()));
        if (billed.size() > 1) {
            throw BillingException.invalid(
                    "currency",
                    "the customer's subscriptions bill in " + String.join(", ", billed) + ": name one as currency");
        }
        return billed.isEmpty() ? null : billed.first();
    }
}
