package dev.tally.billing.upcoming;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.catalog.Customer;
import dev.tally.billing.catalog.CustomerDao;
import dev.tally.billing.catalog.CustomerRules;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.cycle.BillingPeriod;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoicing.PlannedLines;
import dev.tally.billing.invoicing.PlannedPrices;
import dev.tally.billing.invoicing.SubscriptionInvoicingDao;
import dev.tally.billing.ledger.ExactDistinctCounter;
import dev.tally.billing.ledger.WindowValuesDao;
import dev.tally.billing.planning.InvoicePlan;
import dev.tally.billing.planning.InvoicePlanner;
import dev.tally.billing.planning.PlannedLine;
import dev.tally.billing.planning.PlannedPrice;
import dev.tally.billing.subscription.StoredSubscription;
import dev.tally.billing.subscription.Subscription;
import dev.tally.billing.subscription.SubscriptionDao;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.schemas.rules.Currencies;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Drafts a customer's upcoming invoice, writing nothing: for each subscription of the chosen currency in force
 * now, the {@link InvoicePlanner} plans as of the end of its current period, as the billing cycle will when the
 * period ends (flat fees and prorations as it will bill them, the lines already invoiced subtracted), with the
 * usage of each span as of now: the ledger's closed windows and metering's live minutes after them ({@link
 * LiveJoin}). When one live query fails, the whole draft is planned again from the ledger alone, so that it
 * never mixes the two readings.
 */
@Singleton
public final class UpcomingInvoices {

    private final BillingDatabase database;
    private final StoredPriceDefinitions definitions;
    private final LiveUsage live;
    private final Clock clock;

    public UpcomingInvoices(
            BillingDatabase database,
            StoredPriceDefinitions definitions,
            LiveUsage live,
            @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.definitions = definitions;
        this.live = live;
        this.clock = clock;
    }

    /**
     * The upcoming invoice of customer {@code reference} (its id or external id) of {@code key}'s organization
     * and mode, in {@code currency} (null: the customer's currency, else the one its subscriptions bill in).
     * Metering is asked with {@code authorization}, the caller's own key.
     *
     * @throws BillingException not found for no such customer; invalid ({@code currency}) when the subscriptions
     *     bill in several currencies and none is named
     */
    public UpcomingInvoiceView draft(ApiKeyPrincipal key, String authorization, String reference, String currency) {
        Instant now = clock.instant();
        return database.jdbi().inTransaction(handle -> {
            Customer customer = handle.attach(CustomerDao.class)
                    .findByIdOrExternalId(key.organizationId(), key.livemode(), reference)
                    .orElseThrow(() -> BillingException.notFound("customer " + reference));
            SubscriptionDao subscriptions = handle.attach(SubscriptionDao.class);
            List<StoredSubscription> current = subscriptions.withItems(subscriptions.ofCustomer(customer.id())).stream()
                    .filter(s -> inForce(s.timeline(), now))
                    .toList();
            String drafted = currency(customer, current, currency);
            List<StoredSubscription> chosen = current.stream()
                    .filter(s -> s.subscription().currency().equals(drafted))
                    .toList();
            Draft draft = plan(handle, chosen, authorization, now, true);
            if (draft.liveFailed()) {
                draft = plan(handle, chosen, authorization, now, false);
            }
            return view(customer, drafted, chosen, draft, now);
        });
    }

    /** The plans of {@code chosen}, with live usage when {@code withLive}. */
    private record Draft(List<Planned> plans, boolean liveAsked, boolean liveFailed) {}

    private record Planned(Subscription subscription, Map<String, PlannedPrice> prices, InvoicePlan plan) {}

    private Draft plan(
            Handle handle, List<StoredSubscription> chosen, String authorization, Instant now, boolean withLive) {
        SubscriptionInvoicingDao dao = handle.attach(SubscriptionInvoicingDao.class);
        List<Planned> plans = new ArrayList<>();
        boolean failed = false;
        for (StoredSubscription stored : chosen) {
            Subscription subscription = stored.subscription();
            SubscriptionTimeline timeline = stored.timeline();
            UpcomingUsage usage = new UpcomingUsage(
                    dao,
                    new ExactDistinctCounter(
                            handle.attach(WindowValuesDao.class),
                            subscription.organizationId(),
                            subscription.livemode()),
                    subscription,
                    withLive ? live : null,
                    authorization,
                    now);
            Map<String, PlannedPrice> prices = PlannedPrices.of(dao, definitions, subscription, timeline);
            InvoicePlan plan = InvoicePlanner.plan(
                    timeline,
                    subscription.currency(),
                    prices,
                    usage,
                    dao.invoicedLines(subscription.id()),
                    timeline.periodAt(now).end());
            plans.add(new Planned(subscription, prices, plan));
            failed |= usage.liveFailed();
        }
        return new Draft(plans, withLive, failed);
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

    private static UpcomingInvoiceView view(
            Customer customer, String currency, List<StoredSubscription> chosen, Draft draft, Instant now) {
        int digits = currency == null ? 0 : Currencies.minorDigits(currency);
        List<UpcomingInvoiceView.Line> lines = new ArrayList<>();
        long total = 0;
        for (Planned planned : draft.plans()) {
            for (PlannedLine line : planned.plan().lines()) {
                InvoiceLine stored = PlannedLines.toInvoiceLine(
                        null,
                        null,
                        planned.subscription().id(),
                        line,
                        planned.prices().get(line.priceId()));
                lines.add(line(stored, planned.subscription().id(), digits));
            }
            total = Math.addExact(total, planned.plan().totalMinor());
        }
        List<BillingPeriod> periods =
                chosen.stream().map(s -> s.timeline().periodAt(now)).toList();
        return new UpcomingInvoiceView(
                customer.id(),
                currency,
                periods.stream()
                        .map(BillingPeriod::start)
                        .min(Comparator.naturalOrder())
                        .map(Instant::toString)
                        .orElse(null),
                periods.stream()
                        .map(BillingPeriod::end)
                        .max(Comparator.naturalOrder())
                        .map(Instant::toString)
                        .orElse(null),
                now.toString(),
                lines,
                total,
                BigDecimal.valueOf(total, digits).toPlainString(),
                draft.liveAsked() ? now.toString() : null,
                draft.liveAsked() ? "included" : "unavailable");
    }

    private static UpcomingInvoiceView.Line line(InvoiceLine line, String subscriptionId, int digits) {
        return new UpcomingInvoiceView.Line(
                line.kind().text(),
                line.description(),
                line.quantity().toPlainString(),
                line.amountMinor(),
                BigDecimal.valueOf(line.amountMinor(), digits).toPlainString(),
                line.usagePeriod().start().toString(),
                line.usagePeriod().end().toString(),
                line.priceId(),
                line.featureKey(),
                subscriptionId);
    }
}
