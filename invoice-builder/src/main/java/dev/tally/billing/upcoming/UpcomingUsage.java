package dev.tally.billing.upcoming;

import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.invoicing.SubscriptionInvoicingDao;
import dev.tally.billing.ledger.DistinctCounter;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.UsageMerge;
import dev.tally.billing.planning.Usage;
import dev.tally.billing.planning.UsageSource;
import dev.tally.billing.subscription.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A subscription's usage per usage span as of {@code now}, for the upcoming invoice: the ledger's closed
 * windows joined with metering's live minutes (see {@link LiveJoin} for the rule), or the ledger alone when
 * metering is not asked ({@code live} null) or could not answer ({@link #liveFailed()}).
 */
final class UpcomingUsage implements UsageSource {

    private final SubscriptionInvoicingDao dao;
    private final DistinctCounter distinct;
    private final Subscription subscription;
    private final LiveUsage live;
    private final String authorization;
    private final Instant now;
    private boolean liveFailed;

    UpcomingUsage(
            SubscriptionInvoicingDao dao,
            DistinctCounter distinct,
            Subscription subscription,
            LiveUsage live,
            String authorization,
            Instant now) {
        this.dao = dao;
        this.distinct = distinct;
        this.subscription = subscription;
        this.live = live;
        this.authorization = authorization;
        this.now = now;
    }

    @Override
    public Usage usage(String itemId, String priceId, String featureKey, TimeSpan span) {
        List<LedgerEntry> ledger = dao.usage(
                subscription.organizationId(),
                subscription.livemode(),
                subscription.customerExternalId(),
                featureKey,
                span.from(),
                span.to(),
                subscription.id());
        List<LedgerEntry> rows = ledger;
        Optional<Instant> liveFrom = live == null ? Optional.empty() : LiveJoin.liveFrom(ledger, span, now);
        if (liveFrom.isPresent()) {
            Instant from = liveFrom.get();
            Instant to = TimeSpan.earliest(span.to(), now);
            Optional<List<LiveWindow>> minutes =
                    live.minutes(authorization, subscription.customerExternalId(), featureKey, from, to);
            if (minutes.isEmpty()) {
                liveFailed = true;
            } else {
                rows = LiveJoin.join(ledger, minutes.get(), from, subscription.customerExternalId(), featureKey);
            }
        }
        if (rows.isEmpty()) {
            return Usage.NONE;
        }
        return new Usage(UsageMerge.merge(rows, distinct), UsageMerge.eventCount(rows));
    }

    /** Whether a live query failed: the plan drawn with this source mixes live and ledger-only spans. */
    boolean liveFailed() {
        return liveFailed;
    }
}
