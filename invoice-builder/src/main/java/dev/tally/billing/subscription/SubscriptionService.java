package dev.tally.billing.subscription;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.Ids;
import dev.tally.billing.catalog.Customer;
import dev.tally.billing.catalog.CustomerDao;
import dev.tally.billing.catalog.CustomerService;
import dev.tally.billing.cycle.BillingInterval;
import dev.tally.billing.cycle.Cancellation;
import dev.tally.billing.cycle.SubscriptionFacts;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.planning.NextPlan;
import dev.tally.billing.web.Page;
import dev.tally.billing.web.PageRequest;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Creates subscriptions, records their item changes and cancellations, and reads them, in one organization
 * and mode. Every write locks the customer's row first (then the subscription's): the feature rule spans
 * all of a customer's subscriptions, so two writes for one customer must not check it side by side. The
 * history only grows: an item change takes effect no earlier than the latest recorded one, and never in
 * the future; nothing starts or takes effect further back than the backdating limit. Every write makes the
 * subscription due for the billing cycle when its change may have made a line billable ({@link NextPlan}).
 */
@Singleton
public final class SubscriptionService {

    private final BillingDatabase database;
    private final Duration backdatingLimit;
    private final Clock clock;

    public SubscriptionService(
            BillingDatabase database, SubscriptionSettings settings, @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.backdatingLimit = settings.backdatingLimit();
        this.clock = clock;
    }

    /** What a creation asks for, each field checked for its syntax; null instants are not given. */
    record NewSubscription(
            String customer,
            List<RequestedItem> items,
            Instant startAt,
            Instant billingAnchor,
            Instant trialEnd,
            Instant cancelAt,
            boolean cancelAtPeriodEnd) {}

    /** Now, on a whole second, as every instant of a subscription. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    StoredSubscription create(String organizationId, boolean livemode, NewSubscription request) {
        Instant now = now();
        Instant startAt = request.startAt() == null ? now : request.startAt();
        requireNotFuture("startAt", startAt, now);
        requireWithinBackdating("startAt", startAt, now);
        if (request.billingAnchor() != null && request.billingAnchor().isBefore(startAt)) {
            throw BillingException.invalid("billingAnchor", "billingAnchor must not be before startAt");
        }
        return database.jdbi().inTransaction(handle -> {
            SubscriptionDao dao = handle.attach(SubscriptionDao.class);
            Customer customer = lockedCustomer(handle, organizationId, livemode, request.customer());
            if (customer.archived()) {
                throw CustomerService.archived(customer.id(), "customer");
            }
            Map<String, SubscribablePrice> prices = requestedPrices(dao, organizationId, livemode, request.items());
            RequestedItem first = request.items().getFirst();
            SubscribablePrice firstPrice = prices.get(first.priceId());
            ItemRules.requireSubscribable(first, firstPrice, first.quantity());
            String currency = firstPrice.currency();
            BillingInterval interval = firstPrice.recurrence();
            for (RequestedItem item : request.items()) {
                SubscribablePrice price = prices.get(item.priceId());
                ItemRules.requireSubscribable(item, price, item.quantity());
                ItemRules.requireTerms(item, price, currency, interval);
            }
            if (customer.currency() != null && !customer.currency().equals(currency)) {
                throw BillingException.invalid(
                        first.field("price"),
                        "customer " + customer.id() + " is billed in " + customer.currency() + "; price "
                                + firstPrice.id() + " is in " + currency);
            }
            ItemChangePlan plan = ItemChangePlan.of(List.of(), startAt, request.items(), prices);
            Cancellation cancellation = request.cancelAtPeriodEnd()
                    ? Cancellation.atPeriodEnd(now)
                    : request.cancelAt() == null ? null : Cancellation.at(request.cancelAt());
            SubscriptionTimeline timeline = SubscriptionTimeline.of(new SubscriptionFacts(
                    startAt,
                    request.billingAnchor(),
                    request.trialEnd(),
                    customer.zone(),
                    interval,
                    plan.history(),
                    cancellation));
            Function<String, String> featureOf = priceId -> featureOf(prices.get(priceId));
            FeatureRule.requireDistinctItems(plan, timeline, featureOf);
            FeatureRule.requireUnratedElsewhere(
                    plan, timeline, dao.withItems(dao.ofCustomer(customer.id())), featureOf);
            Subscription subscription = new Subscription(
                    Ids.next("sub"),
                    organizationId,
                    livemode,
                    customer.id(),
                    customer.externalId(),
                    currency,
                    interval.unit().wireName(),
                    interval.count(),
                    startAt,
                    request.billingAnchor(),
                    request.trialEnd(),
                    timeline.endsAt().orElse(null),
                    request.cancelAtPeriodEnd(),
                    cancellation == null ? null : now,
                    customer.timeZone(),
                    1,
                    null);
            dao.insert(subscription);
            record(dao, subscription.id(), plan);
            dao.planBy(subscription.id(), NextPlan.afterChange(timeline, startAt));
            return dao.load(organizationId, livemode, subscription.id()).orElseThrow();
        });
    }

    /**
     * Applies {@code items} to subscription {@code id} from {@code effectiveAt} (null: now), if it is at
     * {@code expectedVersion} when one is given: upgrades, downgrades, quantities, new items, removals.
     */
    StoredSubscription changeItems(
            String organizationId,
            boolean livemode,
            String id,
            OptionalLong expectedVersion,
            List<RequestedItem> items,
            Instant effectiveAt) {
        Instant now = now();
        Instant at = effectiveAt == null ? now : effectiveAt;
        requireNotFuture("effectiveAt", at, now);
        requireWithinBackdating("effectiveAt", at, now);
        return database.jdbi().inTransaction(handle -> {
            SubscriptionDao dao = handle.attach(SubscriptionDao.class);
            Locked locked = lock(handle, organizationId, livemode, id, expectedVersion);
            StoredSubscription current = locked.subscription();
            Subscription subscription = current.subscription();
            if (locked.customer().archived()) {
                throw CustomerService.archived(locked.customer().id(), null);
            }
            requireNotEnded(current, now);
            if (at.isBefore(current.latestChangeAt())) {
                throw BillingException.invalid(
                        "effectiveAt",
                        "effectiveAt must not be before the subscription's latest item change ("
                                + current.latestChangeAt() + "): changes are recorded in the order they take effect");
            }
            Map<String, SubscribablePrice> prices = requestedPrices(dao, organizationId, livemode, items);
            for (RequestedItem item : items) {
                if (item.priceId() != null) {
                    SubscribablePrice price = prices.get(item.priceId());
                    ItemRules.requireSubscribable(item, price, item.quantity());
                    ItemRules.requireTerms(item, price, subscription.currency(), subscription.billingInterval());
                }
            }
            ItemChangePlan plan = ItemChangePlan.of(current.facts().items(), at, items, prices);
            SubscriptionTimeline next = SubscriptionTimeline.of(subscription.facts(plan.history()));
            Function<String, String> featureOf = priceId -> prices.containsKey(priceId)
                    ? featureOf(prices.get(priceId))
                    : current.recordOf(priceId).map(ItemRecord::featureKey).orElse(null);
            FeatureRule.requireDistinctItems(plan, next, featureOf);
            List<StoredSubscription> others = dao.withItems(dao.ofCustomer(subscription.customerId())).stream()
                    .filter(other -> !other.id().equals(id))
                    .toList();
            FeatureRule.requireUnratedElsewhere(plan, next, others, featureOf);
            record(dao, id, plan);
            dao.countVersion(id);
            dao.planBy(id, NextPlan.afterChange(next, at));
            return dao.load(organizationId, livemode, id).orElseThrow();
        });
    }

    /**
     * Cancels subscription {@code id}: at the end of the current period ({@code atPeriodEnd}), else at
     * {@code at} (null: now; in the future, it is scheduled). A cancelled subscription that has not ended
     * may be cancelled again to end sooner, never later (a later end could overlap another subscription of
     * the same feature).
     */
    StoredSubscription cancel(
            String organizationId,
            boolean livemode,
            String id,
            OptionalLong expectedVersion,
            boolean atPeriodEnd,
            Instant at) {
        Instant now = now();
        if (at != null) {
            requireWithinBackdating("at", at, now);
        }
        return database.jdbi().inTransaction(handle -> {
            SubscriptionDao dao = handle.attach(SubscriptionDao.class);
            StoredSubscription current =
                    lock(handle, organizationId, livemode, id, expectedVersion).subscription();
            requireNotEnded(current, now);
            if (at != null && at.isBefore(current.subscription().startAt())) {
                throw BillingException.invalid("at", "at must not be before the subscription's startAt");
            }
            Cancellation cancellation =
                    atPeriodEnd ? Cancellation.atPeriodEnd(now) : Cancellation.at(Objects.requireNonNullElse(at, now));
            SubscriptionTimeline cancelled =
                    SubscriptionTimeline.of(current.facts().withCancellation(cancellation));
            Instant end = cancelled.endsAt().orElseThrow();
            Optional<Instant> scheduled = current.timeline().endsAt();
            if (scheduled.isPresent() && end.isAfter(scheduled.get())) {
                throw BillingException.invalid(
                        atPeriodEnd ? "atPeriodEnd" : "at",
                        "the subscription is already cancelled to end at " + scheduled.get() + "; a cancellation"
                                + " can only be brought forward");
            }
            dao.cancel(id, end, atPeriodEnd, now);
            dao.planBy(id, NextPlan.afterChange(cancelled, cancellation.instant()));
            return dao.load(organizationId, livemode, id).orElseThrow();
        });
    }

    StoredSubscription subscription(String organizationId, boolean livemode, String id) {
        return database.jdbi()
                .withHandle(handle -> handle.attach(SubscriptionDao.class).load(organizationId, livemode, id))
                .orElseThrow(() -> BillingException.notFound("subscription " + id));
    }

    /**
     * A page of subscriptions (one extra row, see {@link PageRequest#probe()}), oldest first, of customer
     * {@code customer} (its id or external id; none: an empty page) and with status {@code status} at
     * {@code now} when they are given.
     */
    List<StoredSubscription> subscriptions(
            String organizationId, boolean livemode, String customer, String status, Instant now, PageRequest page) {
        return database.jdbi().withHandle(handle -> {
            SubscriptionDao dao = handle.attach(SubscriptionDao.class);
            if (page.startingAfter() != null && !dao.exists(organizationId, livemode, page.startingAfter())) {
                throw Page.unknownCursor();
            }
            String customerId = null;
            if (customer != null) {
                Optional<Customer> found =
                        handle.attach(CustomerDao.class).findByIdOrExternalId(organizationId, livemode, customer);
                if (found.isEmpty()) {
                    return List.of();
                }
                customerId = found.get().id();
            }
            return dao.withItems(
                    dao.page(organizationId, livemode, customerId, status, now, page.startingAfter(), page.probe()));
        });
    }

    /** A subscription locked for a change, with its customer (locked first). */
    private record Locked(Customer customer, StoredSubscription subscription) {}

    private static Locked lock(
            Handle handle, String organizationId, boolean livemode, String id, OptionalLong expectedVersion) {
        SubscriptionDao dao = handle.attach(SubscriptionDao.class);
        Subscription unlocked = dao.find(organizationId, livemode, id)
                .orElseThrow(() -> BillingException.notFound("subscription " + id));
        // the customer first, as a creation locks it: one order of locks, no deadlock
        Customer customer = handle.attach(CustomerDao.class)
                .findForUpdate(organizationId, livemode, unlocked.customerId())
                .orElseThrow();
        Subscription subscription =
                dao.findForUpdate(organizationId, livemode, id).orElseThrow();
        if (expectedVersion.isPresent() && expectedVersion.getAsLong() != subscription.version()) {
            throw new BillingException(
                    ErrorCode.VERSION_CONFLICT,
                    "subscription " + id + " is at version " + subscription.version() + ", not "
                            + expectedVersion.getAsLong() + ": read it again and apply the change to it");
        }
        return new Locked(customer, dao.withItems(List.of(subscription)).getFirst());
    }

    private static Customer lockedCustomer(Handle handle, String organizationId, boolean livemode, String reference) {
        CustomerDao customers = handle.attach(CustomerDao.class);
        Customer customer = customers
                .findByIdOrExternalId(organizationId, livemode, reference)
                .orElseThrow(() -> BillingException.invalid("customer", "no customer " + reference));
        return customers.findForUpdate(organizationId, livemode, customer.id()).orElseThrow();
    }

    /** The prices the items name, each of the organization and mode (a 400 naming the first that is not). */
    private static Map<String, SubscribablePrice> requestedPrices(
            SubscriptionDao dao, String organizationId, boolean livemode, List<RequestedItem> items) {
        List<String> ids = items.stream()
                .map(RequestedItem::priceId)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        Map<String, SubscribablePrice> prices = dao.pricesById(organizationId, livemode, ids);
        for (RequestedItem item : items) {
            if (item.priceId() != null && !prices.containsKey(item.priceId())) {
                throw BillingException.invalid(item.field("price"), "no price " + item.priceId());
            }
        }
        return prices;
    }

    private static String featureOf(SubscribablePrice price) {
        return price.ratesFeature() ? price.featureKey() : null;
    }

    private static void record(SubscriptionDao dao, String subscriptionId, ItemChangePlan plan) {
        if (!plan.replaced().isEmpty()) {
            dao.deleteChangesAt(subscriptionId, plan.at(), plan.replaced());
        }
        plan.written()
                .forEach(change -> dao.insertChange(
                        subscriptionId, change.itemId(), change.at(), change.priceId(), change.quantity()));
    }

    private static void requireNotEnded(StoredSubscription subscription, Instant now) {
        Optional<Instant> end = subscription.timeline().endsAt();
        if (end.isPresent() && !end.get().isAfter(now)) {
            throw new BillingException(
                    ErrorCode.SUBSCRIPTION_CANCELED,
                    "subscription " + subscription.id() + " ended at " + end.get() + ": it takes no change");
        }
    }

    private static void requireNotFuture(String field, Instant instant, Instant now) {
        if (instant.isAfter(now)) {
            throw BillingException.invalid(
                    field, field + " must not be in the future (now is " + now + "): scheduled changes are not kept");
        }
    }

    private void requireWithinBackdating(String field, Instant instant, Instant now) {
        if (instant.isBefore(now.minus(backdatingLimit))) {
            throw BillingException.invalid(
                    field,
                    field + " must not lie more than " + describe(backdatingLimit) + " in the past (the backdating"
                            + " limit)");
        }
    }

    private static String describe(Duration limit) {
        return limit.toSeconds() % 86_400 == 0 ? limit.toDays() + " days" : limit.toString();
    }
}
