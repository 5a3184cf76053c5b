package dev.tally.billing.subscription;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.cycle.ItemChange;
import dev.tally.billing.cycle.SubscriptionStatus;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.cycle.TimeSpan;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A subscription as the API shows it at one instant ("now"): its status and current period from {@link
 * SubscriptionTimeline}, and the items it holds then. The current period is the trial while trialing, the
 * billed part of the calendar period containing now while active, none once canceled. {@code cancelAt} is
 * when it ends once cancelled, {@code endedAt} the same instant once it has passed.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SubscriptionView(
        String id,
        String customer,
        String customerExternalId,
        String status,
        String currency,
        String interval,
        int intervalCount,
        String startAt,
        @Nullable String billingAnchor,
        @Nullable String trialEnd,
        @Nullable String cancelAt,
        boolean cancelAtPeriodEnd,
        @Nullable String canceledAt,
        @Nullable String endedAt,
        @Nullable String currentPeriodStart,
        @Nullable String currentPeriodEnd,
        List<ItemView> items,
        boolean livemode,
        String createdAt,
        long version) {

    /** An item as it stands: {@code featureKey} is null for a flat fee; usage items show quantity 1. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ItemView(String id, String price, String product, @Nullable String featureKey, long quantity) {}

    static SubscriptionView of(StoredSubscription stored, Instant now) {
        Subscription s = stored.subscription();
        SubscriptionTimeline timeline = stored.timeline();
        // a subscription never starts in the future; only clocks apart could put now before its start
        Instant at = now.isBefore(s.startAt()) ? s.startAt() : now;
        SubscriptionStatus status = timeline.statusAt(at).orElseThrow();
        Optional<TimeSpan> period =
                switch (status) {
                    case TRIALING -> TimeSpan.between(s.startAt(), timeline.billingStartsAt());
                    case ACTIVE, PAST_DUE -> timeline.billableSpan(timeline.periodAt(at));
                    case CANCELED -> Optional.empty();
                };
        Optional<Instant> ended = timeline.endsAt().filter(end -> !end.isAfter(at));
        List<ItemView> items = timeline.itemsAt(at).stream()
                .map(change -> item(stored, change))
                .toList();
        return new SubscriptionView(
                s.id(),
                s.customerId(),
                s.customerExternalId(),
                status.wireName(),
                s.currency(),
                s.interval(),
                s.intervalCount(),
                s.startAt().toString(),
                text(s.billingAnchor()),
                text(s.trialEnd()),
                text(s.cancelAt()),
                s.cancelAtPeriodEnd(),
                text(s.canceledAt()),
                ended.map(Instant::toString).orElse(null),
                period.map(span -> span.from().toString()).orElse(null),
                period.map(span -> span.to().toString()).orElse(null),
                items,
                s.livemode(),
                s.createdAt().toString(),
                s.version());
    }

    private static ItemView item(StoredSubscription stored, ItemChange change) {
        ItemRecord record = stored.recordOf(change.priceId()).orElseThrow();
        return new ItemView(
                change.itemId(), change.priceId(), record.productId(), record.featureKey(), change.quantity());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
