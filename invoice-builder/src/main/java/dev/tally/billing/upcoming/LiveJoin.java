package dev.tally.billing.upcoming;

import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.invoicing.LedgerUsage;
import dev.tally.billing.ledger.DistinctCounter;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.planning.Usage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How the upcoming invoice joins the ledger's closed windows with metering's live minutes of one usage span,
 * without counting any usage twice (pure).
 *
 * <p>The rule: the ledger's windows up to its last window of the span, metering's minutes after it. The ledger
 * receives a series' windows in order, so every window before its last one is in it; the live part starts at
 * the last window's end, floored to the minute ({@code cut}): ledger windows starting before {@code cut},
 * live minutes starting at or after it. This is exact when the billing window ({@code tally.metering
 * .window-size}) is a whole number of minutes (1 h in production) or divides one (10 s locally): {@code cut}
 * is then a boundary of both. The live minutes are merged with the ledger's windows by their aggregation, as
 * the billing of closed windows merges them ({@link dev.tally.billing.ledger.UsageMerge}). Not for a {@code
 * unique_count} span: minutes carry counts, not the distinct values a union needs ({@link DistinctSpan} drafts
 * those).
 */
final class LiveJoin {

    /** Never asked: {@link #join} refuses every row that counts distinct values. */
    private static final DistinctCounter NO_DISTINCT_VALUES = windows -> {
        throw new IllegalStateException("joined live rows never count distinct values");
    };

    private LiveJoin() {}

    /** The usage of rows {@link #join} made, merged by their aggregations as closed windows are. */
    static Usage usage(List<LedgerEntry> joined) {
        return LedgerUsage.usage(joined, NO_DISTINCT_VALUES);
    }

    /**
     * Where the live part of {@code span} starts ({@code cut}), given its {@code ledger} rows; empty when there
     * is no live part: the span has not started by {@code now}, or the ledger covers it to {@code now}.
     */
    static Optional<Instant> liveFrom(List<LedgerEntry> ledger, TimeSpan span, Instant now) {
        Instant end = TimeSpan.earliest(span.to(), now);
        Instant last = ledger.stream()
                .map(LedgerEntry::windowEnd)
                .max(Comparator.naturalOrder())
                .orElse(span.from());
        Instant cut = TimeSpan.latest(last.truncatedTo(ChronoUnit.MINUTES), span.from());
        return cut.isBefore(end) ? Optional.of(cut) : Optional.empty();
    }

    /**
     * The rows to merge for the span: the {@code ledger}'s windows starting before {@code cut}, and each live
     * minute (starting at or after {@code cut}) as a statement of its own, never billed. Minutes of a {@code
     * unique_count} meter have no place here (see the class description): the caller drafts such a span
     * otherwise.
     *
     * @throws IllegalArgumentException if a row or minute counts distinct values
     */
    static List<LedgerEntry> join(
            List<LedgerEntry> ledger, List<LiveWindow> minutes, Instant cut, String customer, String feature) {
        if (DistinctSpan.countsDistinct(ledger, minutes)) {
            throw new IllegalArgumentException("a unique_count span cannot be joined from minute counts");
        }
        List<LedgerEntry> rows = new ArrayList<>();
        for (LedgerEntry row : ledger) {
            if (row.windowStart().isBefore(cut)) {
                rows.add(row);
            }
        }
        for (LiveWindow minute : minutes) {
            if (minute.windowStart().isBefore(cut)) {
                continue;
            }
            rows.add(new LedgerEntry(
                    0,
                    null,
                    "live|" + minute.aggregation() + "|" + minute.windowStart(),
                    null,
                    false,
                    customer,
                    feature,
                    minute.windowStart(),
                    minute.windowEnd(),
                    minute.quantity(),
                    minute.eventCount(),
                    "live",
                    minute.aggregation(),
                    0,
                    // the latest event of a minute lies in it, after every ledger window's (they end by cut)
                    minute.windowStart(),
                    null,
                    null));
        }
        return rows;
    }
}
