package dev.tally.billing.cycle;

import dev.tally.billing.BillingException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a subscription is, as data: everything its calendar and flat fees follow from. Every instant falls
 * on a whole second (the API truncates "now"), so that prorations count whole seconds. How far back
 * {@code startAt} may lie (the backdating limit) and that all prices share the subscription's currency and
 * interval are checked by the subscription API, which knows the settings and the prices.
 *
 * @param startAt when the subscription starts (now, or earlier when backdated)
 * @param billingAnchor where the periods are counted from; null for the default: the trial's end when
 *     there is a trial, else {@code startAt}
 * @param trialEnd null for no trial; else after {@code startAt}
 * @param timeZone the customer's: periods are local calendar days, weeks, months or years there
 * @param items the items' histories, every change at or after {@code startAt}, in any order
 * @param cancellation null while the subscription is not cancelled
 */
public record SubscriptionFacts(
        Instant startAt,
        Instant billingAnchor,
        Instant trialEnd,
        ZoneId timeZone,
        BillingInterval interval,
        List<ItemChange> items,
        Cancellation cancellation) {

    public SubscriptionFacts {
        Objects.requireNonNull(startAt, "startAt");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(interval, "interval");
        items = List.copyOf(items);
        requireWholeSecond("startAt", startAt);
        requireWholeSecond("billingAnchor", billingAnchor);
        requireWholeSecond("trialEnd", trialEnd);
        if (trialEnd != null && !trialEnd.isAfter(startAt)) {
            throw BillingException.invalid("trialEnd", "must be after startAt");
        }
        if (cancellation != null) {
            requireWholeSecond("cancelAt", cancellation.instant());
            if (cancellation.instant().isBefore(startAt)) {
                throw BillingException.invalid("cancelAt", "must not be before startAt");
            }
        }
        requireConsistentHistories(startAt, items);
    }

    /** A subscription starting at {@code startAt} with no anchor, trial, items or cancellation yet. */
    public static SubscriptionFacts starting(Instant startAt, ZoneId timeZone, BillingInterval interval) {
        return new SubscriptionFacts(startAt, null, null, timeZone, interval, List.of(), null);
    }

    public SubscriptionFacts withBillingAnchor(Instant anchor) {
        return new SubscriptionFacts(startAt, anchor, trialEnd, timeZone, interval, items, cancellation);
    }

    public SubscriptionFacts withTrialEnd(Instant end) {
        return new SubscriptionFacts(startAt, billingAnchor, end, timeZone, interval, items, cancellation);
    }

    public SubscriptionFacts withItems(List<ItemChange> changes) {
        return new SubscriptionFacts(startAt, billingAnchor, trialEnd, timeZone, interval, changes, cancellation);
    }

    public SubscriptionFacts withCancellation(Cancellation cancel) {
        return new SubscriptionFacts(startAt, billingAnchor, trialEnd, timeZone, interval, items, cancel);
    }

    private static void requireWholeSecond(String field, Instant instant) {
        if (instant != null && instant.getNano() != 0) {
            throw BillingException.invalid(field, "must fall on a whole second");
        }
    }

    private static void requireConsistentHistories(Instant startAt, List<ItemChange> items) {
        Set<String> seen = new HashSet<>();
        Map<String, Boolean> held = new HashMap<>();
        for (ItemChange change :
                items.stream().sorted(Comparator.comparing(ItemChange::at)).toList()) {
            requireWholeSecond("items", change.at());
            if (change.at().isBefore(startAt)) {
                throw BillingException.invalid("items", "item " + change.itemId() + " changes before startAt");
            }
            if (!seen.add(change.itemId() + "@" + change.at())) {
                throw BillingException.invalid("items", "item " + change.itemId() + " changes twice at " + change.at());
            }
            if (change.isRemoval() && !held.getOrDefault(change.itemId(), false)) {
                throw BillingException.invalid(
                        "items", "item " + change.itemId() + " is removed at " + change.at() + " but not held");
            }
            held.put(change.itemId(), !change.isRemoval());
        }
    }
}
