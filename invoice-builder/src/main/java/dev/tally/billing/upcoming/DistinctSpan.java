package dev.tally.billing.upcoming;

import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.UsageMerge;
import dev.tally.billing.planning.Usage;
import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When and how the upcoming invoice drafts a usage span of a {@code unique_count} feature with its live part
 * (pure). A distinct count cannot be summed, so the ledger's count and metering's minutes cannot be joined
 * ({@link LiveJoin}); but metering can count the whole span itself: its {@code window=month} answer (in UTC)
 * is, for each aggregation, the hours starting in the query's range merged as billing merges windows, a unique
 * count as the size of the union of the hours' distinct values. That is the span's exact usage as of now when
 * all of these hold ({@link #countable}, {@link #retainedBy}):
 *
 * <ul>
 *   <li>the span, up to now, lies in one UTC month (else metering answers one row per month, which cannot be
 *       added either);
 *   <li>each bound of the span that has passed is on the hour, or the ledger's windows of the span are whole
 *       hours: metering's hours are then the ledger's windows, none cut by the span;
 *   <li>metering still holds the hour of the ledger's earliest window with events in the span: its live
 *       retention drops the oldest hours first, so every later hour is still there, and the ledger (which
 *       gets every closed window) holds no usage of the span before it.
 * </ul>
 *
 * Otherwise the span is drafted from the ledger alone and its lines say that the live part is not included.
 */
final class DistinctSpan {

    private DistinctSpan() {}

    /** Whether any of {@code ledger}'s windows or {@code live}'s minutes counts distinct values. */
    static boolean countsDistinct(List<LedgerEntry> ledger, List<LiveWindow> live) {
        return ledger.stream().anyMatch(row -> row.aggregation() == Aggregation.UNIQUE_COUNT)
                || live.stream().anyMatch(window -> window.aggregation() == Aggregation.UNIQUE_COUNT);
    }

    /**
     * Whether metering's month count of {@code span} up to {@code now} is the span's exact usage, given the
     * {@code ledger}'s windows of it (see the class description); false for a span not started by {@code now}.
     */
    static boolean countable(List<LedgerEntry> ledger, TimeSpan span, Instant now) {
        Instant end = TimeSpan.earliest(span.to(), now);
        if (!span.from().isBefore(end)) {
            return false;
        }
        YearMonth first = YearMonth.from(span.from().atZone(ZoneOffset.UTC));
        YearMonth last = YearMonth.from(end.minusNanos(1).atZone(ZoneOffset.UTC));
        boolean wholeHours = !ledger.isEmpty()
                && ledger.stream().allMatch(row -> onTheHour(row.windowStart()) && onTheHour(row.windowEnd()));
        boolean toPassed = !span.to().isAfter(now);
        return first.equals(last)
                && (wholeHours || onTheHour(span.from()))
                && (wholeHours || !toPassed || onTheHour(span.to()));
    }

    /**
     * The hour metering must still hold for its count to be whole: that of the ledger's earliest window with
     * events (at its latest revision); empty when the ledger holds no usage of the span.
     */
    static Optional<Instant> probeHour(List<LedgerEntry> ledger) {
        return UsageMerge.latestRevisions(ledger).stream()
                .filter(row -> row.eventCount() > 0)
                .map(LedgerEntry::windowStart)
                .min(Comparator.naturalOrder())
                .map(start -> start.truncatedTo(ChronoUnit.HOURS));
    }

    /** Whether metering's answer for the {@link #probeHour} ({@code hour}) shows that it still holds it. */
    static boolean retainedBy(List<LiveWindow> hour) {
        return hour.stream().anyMatch(window -> window.eventCount() > 0);
    }

    /**
     * The span's usage from metering's {@code months} answer for it: each aggregation's row (a meter changed in
     * the span has one per aggregation) added, as {@link UsageMerge} adds the parts of a span; empty if it holds
     * two rows of one aggregation (more than one month: not a count of the span) or a quantity finer than the
     * contract's scale (not metering's answer).
     */
    static Optional<Usage> usage(List<LiveWindow> months) {
        Set<Aggregation> seen = EnumSet.noneOf(Aggregation.class);
        BigDecimal quantity = BigDecimal.ZERO;
        long events = 0;
        for (LiveWindow month : months) {
            if (!seen.add(month.aggregation())) {
                return Optional.empty();
            }
            quantity = quantity.add(month.quantity());
            events = Math.addExact(events, month.eventCount());
        }
        if (quantity.signum() < 0 || quantity.stripTrailingZeros().scale() > Decimals.QUANTITY_SCALE) {
            return Optional.empty();
        }
        return Optional.of(new Usage(quantity.setScale(Decimals.QUANTITY_SCALE), events));
    }

    private static boolean onTheHour(Instant instant) {
        return instant.truncatedTo(ChronoUnit.HOURS).equals(instant);
    }
}
