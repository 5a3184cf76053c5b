package dev.tally.billing.subscription;

import dev.tally.billing.BillingException;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.cycle.ItemChange;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.cycle.SubscriptionTimeline.HeldItem;
import dev.tally.billing.cycle.TimeSpan;
import dev.tally.schemas.rules.InstantRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A feature is rated by at most one price per customer at any instant, so usage is never rated twice
 * (pure). Within a subscription, no two items share a price or a feature; across the customer's
 * subscriptions, no two items that rate one feature are held at once (trials included: the periods are the
 * same ones).
 */
final class FeatureRule {

    private FeatureRule() {}

    /**
     * Refuses (400 on the request's {@code price}) an applied item that shares its price or its feature with
     * another item the subscription holds once {@code plan} is recorded ({@code next}).
     *
     * @param featureOf the feature a price rates, or null for a flat fee
     */
    static void requireDistinctItems(
            ItemChangePlan plan, SubscriptionTimeline next, Function<String, String> featureOf) {
        // each applied item is compared with the items kept as they were and the applied ones before it,
        // so the error names the later of two that clash
        List<String> applied =
                plan.applied().stream().map(a -> a.change().itemId()).toList();
        List<ItemChange> earlier = new ArrayList<>(next.itemsAt(plan.at()).stream()
                .filter(item -> !applied.contains(item.itemId()))
                .toList());
        for (ItemChangePlan.Applied request : plan.applied()) {
            ItemChange change = request.change();
            if (change.isRemoval()) {
                continue;
            }
            String feature = featureOf.apply(change.priceId());
            for (ItemChange other : earlier) {
                if (other.priceId().equals(change.priceId())) {
                    throw BillingException.invalid(
                            request.request().field("price"),
                            "price " + change.priceId() + " is already item " + other.itemId()
                                    + " of the subscription: change that item's quantity instead");
                }
                if (feature != null && feature.equals(featureOf.apply(other.priceId()))) {
                    throw BillingException.invalid(
                            request.request().field("price"),
                            "feature " + feature + " is already rated by item " + other.itemId()
                                    + " of the subscription");
                }
            }
            earlier.add(change);
        }
    }

    /**
     * Refuses (409 {@code feature_already_rated} on the request's {@code price}) an applied item whose
     * feature one of the customer's {@code others} subscriptions rates at some instant between {@code
     * plan.at()} and the end of the subscription ({@code next}).
     *
     * @param featureOf the feature a price rates, or null for a flat fee
     */
    static void requireUnratedElsewhere(
            ItemChangePlan plan,
            SubscriptionTimeline next,
            List<StoredSubscription> others,
            Function<String, String> featureOf) {
        Instant end = next.endsAt().orElse(InstantRange.LATEST);
        Optional<TimeSpan> span = TimeSpan.between(plan.at(), end);
        if (span.isEmpty()) {
            return;
        }
        for (ItemChangePlan.Applied applied : plan.applied()) {
            ItemChange change = applied.change();
            String feature = change.isRemoval() ? null : featureOf.apply(change.priceId());
            if (feature == null) {
                continue;
            }
            for (StoredSubscription other : others) {
                for (HeldItem held : other.timeline().itemsHeldDuring(span.get())) {
                    String otherFeature = other.recordOf(held.change().priceId())
                            .map(ItemRecord::featureKey)
                            .orElse(null);
                    if (feature.equals(otherFeature)) {
                        throw new BillingException(
                                ErrorCode.FEATURE_ALREADY_RATED,
                                "feature " + feature + " is already rated for this customer by subscription "
                                        + other.id() + " (item " + held.change().itemId() + ", price "
                                        + held.change().priceId() + ") " + describe(held.span())
                                        + ": usage is rated by one price at a time; cancel that subscription or"
                                        + " remove that item first",
                                applied.request().field("price"));
                    }
                }
            }
        }
    }

    private static String describe(TimeSpan span) {
        return span.to().equals(InstantRange.LATEST)
                ? "from " + span.from() + " on"
                : "from " + span.from() + " to " + span.to();
    }
}
