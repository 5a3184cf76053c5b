package dev.tally.billing.upcoming;

import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.planning.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One usage span's usage as of {@code now} for the upcoming invoice and the entitlements, from the ledger's rows read before and
 * metering's live query (called here, with no database handle held): the ledger's closed windows joined with
 * metering's live minutes after them ({@link LiveJoin}); for a span counting distinct values, metering's count
 * of the whole span when it is exact ({@link DistinctSpan}), else the ledger's alone, marked {@link
 * Live#EXCLUDED}.
 */
public final class UpcomingUsage {

    /** How much of metering's live usage a drafted span holds. */
    public enum Live {
        /** Everything counted by now: the ledger's closed windows and metering's open ones (if any). */
        INCLUDED,
        /** The ledger's closed windows alone: metering cannot count this distinct count exactly. */
        EXCLUDED,
        /** The ledger's closed windows alone: metering did not answer, the whole draft is the ledger's. */
        UNAVAILABLE;

        /** As the response spells it. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A drafted span: its usage and what of the live usage it holds. */
    public record SpanUsage(Usage usage, Live live) {}

    /** A span's ledger rows, as read in the draft's transaction, and their usage (distinct values counted there). */
    public record LedgerSpan(List<LedgerEntry> rows, Usage usage) {}

    private static final Duration HOUR = Duration.ofHours(1);

    private final LiveUsage live;
    private final String authorization;
    private final String customer;
    private final Instant now;

    /**
     * The usage as of {@code now} of {@code customer} (the external id usage events name), metering being asked
     * with {@code authorization}, the caller's own key.
     */
    public UpcomingUsage(LiveUsage live, String authorization, String customer, Instant now) {
        this.live = live;
        this.authorization = authorization;
        this.customer = customer;
        this.now = now;
    }

    /**
     * {@code feature}'s usage in {@code span}, whose ledger rows are {@code ledger}; empty when a query to
     * metering failed.
     */
    public Optional<SpanUsage> usage(String feature, TimeSpan span, LedgerSpan ledger) {
        List<LedgerEntry> rows = ledger.rows();
        if (!DistinctSpan.countsDistinct(rows, List.of())) {
            Optional<Instant> cut = LiveJoin.liveFrom(rows, span, now);
            if (cut.isEmpty()) {
                return Optional.of(new SpanUsage(ledger.usage(), Live.INCLUDED));
            }
            Optional<List<LiveWindow>> minutes = live.windows(
                    authorization,
                    customer,
                    feature,
                    cut.get(),
                    TimeSpan.earliest(span.to(), now),
                    LiveUsage.Window.MINUTE);
            if (minutes.isEmpty()) {
                return Optional.empty();
            }
            if (!DistinctSpan.countsDistinct(List.of(), minutes.get())) {
                List<LedgerEntry> joined = LiveJoin.join(rows, minutes.get(), cut.get(), customer, feature);
                return Optional.of(new SpanUsage(LiveJoin.usage(joined), Live.INCLUDED));
            }
            // the meter now counts distinct values: the span is counted whole, below
        }
        return distinct(feature, span, ledger);
    }

    private Optional<SpanUsage> distinct(String feature, TimeSpan span, LedgerSpan ledger) {
        SpanUsage alone = new SpanUsage(ledger.usage(), Live.EXCLUDED);
        if (!DistinctSpan.countable(ledger.rows(), span, now)) {
            return Optional.of(alone);
        }
        Optional<Instant> probe = DistinctSpan.probeHour(ledger.rows());
        if (probe.isPresent()) {
            Optional<List<LiveWindow>> hour = live.windows(
                    authorization, customer, feature, probe.get(), probe.get().plus(HOUR), LiveUsage.Window.HOUR);
            if (hour.isEmpty()) {
                return Optional.empty();
            }
            if (!DistinctSpan.retainedBy(hour.get())) {
                return Optional.of(alone);
            }
        }
        Optional<List<LiveWindow>> months = live.windows(
                authorization,
                customer,
                feature,
                span.from(),
                TimeSpan.earliest(span.to(), now),
                LiveUsage.Window.MONTH);
        return months.map(answer -> DistinctSpan.usage(answer)
                .map(usage -> new SpanUsage(usage, Live.INCLUDED))
                .orElse(alone));
    }
}
