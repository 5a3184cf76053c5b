package dev.tally.billing.cycle;

import dev.tally.billing.cycle.FlatCharge.Kind;
import dev.tally.billing.cycle.ItemHistory.ItemVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The flat-fee lines of one period, by the rules {@link SubscriptionTimeline} states. */
final class FlatFeeSchedule {

    /** By when billable, then kind, then item, then period. */
    static final Comparator<FlatCharge> ORDER = Comparator.comparing(FlatCharge::billableAt)
            .thenComparing(FlatCharge::kind)
            .thenComparing(FlatCharge::itemId)
            .thenComparingLong(line -> line.period().index());

    private final ItemHistory history;

    FlatFeeSchedule(ItemHistory history) {
        this.history = history;
    }

    /** The lines of {@code period}, whose billed part is {@code billed}, ordered by when they are billable. */
    List<FlatCharge> charges(BillingPeriod period, TimeSpan billed) {
        List<FlatCharge> lines = new ArrayList<>();
        inAdvance(period, billed, lines);
        inArrears(period, billed, lines);
        lines.sort(ORDER);
        return List.copyOf(lines);
    }

    private void inAdvance(BillingPeriod period, TimeSpan billed, List<FlatCharge> lines) {
        Instant periodEnd = period.end();
        for (ItemVersion held : history.heldAt(billed.from())) {
            addIfAdvance(lines, Kind.IN_ADVANCE, held, period, billed.from());
        }
        for (Instant change : history.changesInside(billed)) {
            for (String itemId : itemsChangingAt(change)) {
                version(history.endingAt(change), itemId)
                        .ifPresent(old -> addIfAdvance(lines, Kind.PRORATION_CREDIT, old, period, change));
                version(history.startingAt(change), itemId)
                        .ifPresent(now -> addIfAdvance(lines, Kind.PRORATION_CHARGE, now, period, change));
            }
        }
        // the billed part ends before the period only when the subscription is cancelled inside it
        Instant canceledAt = billed.to();
        if (canceledAt.isBefore(periodEnd)) {
            for (ItemVersion held : history.overlapping(billed)) {
                if (held.until() == null || !held.until().isBefore(canceledAt)) {
                    addIfAdvance(lines, Kind.CANCELLATION_CREDIT, held, period, canceledAt);
                }
            }
        }
    }

    private void inArrears(BillingPeriod period, TimeSpan billed, List<FlatCharge> lines) {
        for (ItemVersion held : history.overlapping(billed)) {
            if (held.bills(ItemBilling.FLAT_IN_ARREARS)) {
                TimeSpan part = held.within(billed).orElseThrow();
                lines.add(line(Kind.IN_ARREARS, held, period, part, billed.to()));
            }
        }
    }

    /** An in-advance line always runs to the period's end: what is given up later is credited then. */
    private static void addIfAdvance(
            List<FlatCharge> lines, Kind kind, ItemVersion version, BillingPeriod period, Instant from) {
        if (version.bills(ItemBilling.FLAT_IN_ADVANCE)) {
            lines.add(line(kind, version, period, new TimeSpan(from, period.end()), from));
        }
    }

    private static FlatCharge line(
            Kind kind, ItemVersion version, BillingPeriod period, TimeSpan span, Instant billableAt) {
        ItemChange item = version.change();
        return new FlatCharge(
                kind,
                item.itemId(),
                item.priceId(),
                item.quantity(),
                period,
                span,
                ProrationFraction.of(span, period),
                billableAt);
    }

    private TreeSet<String> itemsChangingAt(Instant change) {
        TreeSet<String> items = new TreeSet<>();
        history.endingAt(change).forEach(v -> items.add(v.itemId()));
        history.startingAt(change).forEach(v -> items.add(v.itemId()));
        return items;
    }

    private static Optional<ItemVersion> version(List<ItemVersion> versions, String itemId) {
        return versions.stream().filter(v -> v.itemId().equals(itemId)).findFirst();
    }
}
