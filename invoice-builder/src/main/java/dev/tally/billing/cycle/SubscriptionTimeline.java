package dev.tally.billing.cycle;

import dev.tally.billing.cycle.ItemHistory.ItemVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A subscription's calendar, status, flat fees and usage spans, computed from its {@link SubscriptionFacts}
 * alone (pure: no clock, no I/O).
 *
 * <h2>The calendar</h2>
 * Periods are those of a {@link BillingCalendar} on the anchor, in the customer's time zone. The anchor is
 * the explicit billing anchor, else the trial's end, else the start. Billing starts at the trial's end (or
 * the start) and stops at the cancellation's effective instant.
 *
 * <h2>Flat fees and proration, by the second</h2>
 * Every fraction is the seconds billed over the seconds of the calendar period they fall in, so a 23-hour
 * day and a 31-day month are each one whole period.
 *
 * <ul>
 *   <li><b>In advance</b> (the default for flat prices): when the billed part of a period starts, each item
 *       held then is charged from there to the period's end: the whole period, or, when the subscription
 *       starts or its trial ends between two boundaries, the part up to the next boundary (as Stripe does
 *       with an anchor).
 *   <li><b>A change inside the period</b> (upgrade, downgrade, quantity, item added or removed) at instant
 *       {@code c}: the old item at the old quantity is credited for {@code [c, end)} and the new one at the
 *       new quantity charged for {@code [c, end)}. Two changes in a period are two such pairs; their sum is
 *       exactly what each version would cost for the time it was held. A change at a boundary prorates
 *       nothing: the next period's in-advance fee bills the new item.
 *   <li><b>A cancellation inside the period</b> at {@code c}: the items held then are credited for
 *       {@code [c, end)}. Cancelled at period end, the last period is billed fully and nothing after.
 *   <li><b>In arrears</b>: at the end of the billed part of a period, each item is charged for the time it
 *       was held in it, one line per version.
 *   <li>Nothing during a trial, before the start or after the cancellation; nothing for quantity zero.
 * </ul>
 *
 * Lines carry exact fractions; amounts are rounded once per line by the line layer.
 *
 * <h2>Usage</h2>
 * Usage is billed in arrears for the {@link #usageSpans usage spans} of each period: the billed part of the
 * period, cut where a usage item is added, changes price or is removed.
 */
public final class SubscriptionTimeline {

    private final SubscriptionFacts facts;
    private final BillingCalendar calendar;
    private final ItemHistory items;
    private final FlatFeeSchedule fees;
    private final Instant billingStartsAt;
    private final Instant endsAt;

    private SubscriptionTimeline(SubscriptionFacts facts) {
        this.facts = facts;
        this.billingStartsAt = facts.trialEnd() != null ? facts.trialEnd() : facts.startAt();
        Instant anchor = facts.billingAnchor() != null ? facts.billingAnchor() : billingStartsAt;
        this.calendar = new BillingCalendar(anchor, facts.timeZone(), facts.interval());
        this.items = new ItemHistory(facts.items());
        this.fees = new FlatFeeSchedule(items);
        this.endsAt = effectiveEnd(facts.cancellation());
    }

    /** The timeline of {@code facts}. */
    public static SubscriptionTimeline of(SubscriptionFacts facts) {
        return new SubscriptionTimeline(facts);
    }

    private Instant effectiveEnd(Cancellation cancellation) {
        if (cancellation == null) {
            return null;
        }
        if (!cancellation.atPeriodEnd()) {
            return cancellation.instant();
        }
        if (cancellation.instant().isBefore(billingStartsAt)) {
            return billingStartsAt; // asked during the trial: the trial is the last period
        }
        return calendar.periodContaining(cancellation.instant()).end();
    }

    public SubscriptionFacts facts() {
        return facts;
    }

    public BillingCalendar calendar() {
        return calendar;
    }

    /** When fees and usage start being billed: the trial's end, or the start. */
    public Instant billingStartsAt() {
        return billingStartsAt;
    }

    /** When the subscription ends (its cancellation's effective instant), if it is cancelled. */
    public Optional<Instant> endsAt() {
        return Optional.ofNullable(endsAt);
    }

    /**
     * The status at {@code instant}: trialing, active or canceled; empty before the start. Never
     * {@link SubscriptionStatus#PAST_DUE}, which comes from invoices.
     */
    public Optional<SubscriptionStatus> statusAt(Instant instant) {
        if (instant.isBefore(facts.startAt())) {
            return Optional.empty();
        }
        if (endsAt != null && !instant.isBefore(endsAt)) {
            return Optional.of(SubscriptionStatus.CANCELED);
        }
        if (instant.isBefore(billingStartsAt)) {
            return Optional.of(SubscriptionStatus.TRIALING);
        }
        return Optional.of(SubscriptionStatus.ACTIVE);
    }

    /** The items as they stand at {@code instant}: the change in force for each item held, by item id. */
    public List<ItemChange> itemsAt(Instant instant) {
        return items.heldAt(instant).stream().map(ItemVersion::change).toList();
    }

    /** An item version and the part of a span of time it was held in. */
    public record HeldItem(ItemChange change, TimeSpan span) {}

    /**
     * The item versions held at some instant of {@code span} while the subscription lives
     * ({@code [startAt, endsAt)}, trial included), each with the part of {@code span} it was held in, by
     * start then item: what decides whether two items rate the same feature at once.
     */
    public List<HeldItem> itemsHeldDuring(TimeSpan span) {
        Instant from = TimeSpan.latest(span.from(), facts.startAt());
        Instant to = endsAt == null ? span.to() : TimeSpan.earliest(span.to(), endsAt);
        return TimeSpan.between(from, to)
                .map(life -> items.overlapping(life).stream()
                        .map(version -> new HeldItem(
                                version.change(), version.within(life).orElseThrow()))
                        .toList())
                .orElse(List.of());
    }

    /** The calendar period containing {@code instant}. */
    public BillingPeriod periodAt(Instant instant) {
        return calendar.periodContaining(instant);
    }

    /**
     * The calendar periods that share an instant with both {@code [from, to)} and the subscription's life
     * ({@code [startAt, endsAt)}), trial periods included; whole calendar periods, whose first may start
     * before {@code startAt}.
     */
    public List<BillingPeriod> periods(Instant from, Instant to) {
        Instant start = TimeSpan.latest(from, facts.startAt());
        Instant end = endsAt == null ? to : TimeSpan.earliest(to, endsAt);
        return calendar.periodsOverlapping(start, end);
    }

    /** The part of {@code period} in which anything is billed: after the trial and the start, before the cancellation. */
    public Optional<TimeSpan> billableSpan(BillingPeriod period) {
        requireOwnPeriod(period);
        Instant from = TimeSpan.latest(period.start(), billingStartsAt);
        Instant to = endsAt == null ? period.end() : TimeSpan.earliest(period.end(), endsAt);
        return TimeSpan.between(from, to);
    }

    /** The flat-fee lines {@code period} implies, ordered by when they are billable, then kind, then item. */
    public List<FlatCharge> flatCharges(BillingPeriod period) {
        return billableSpan(period).map(billed -> fees.charges(period, billed)).orElse(List.of());
    }

    /**
     * Every flat-fee line of the subscription billable at or before {@code asOf} (for a backdated start:
     * all the periods it reaches back to), ordered by when they are billable, then kind, item and period.
     */
    public List<FlatCharge> flatChargesBillableBy(Instant asOf) {
        List<FlatCharge> lines = new ArrayList<>();
        for (BillingPeriod period : periods(facts.startAt(), asOf.plusSeconds(1))) {
            flatCharges(period).stream()
                    .filter(line -> !line.billableAt().isAfter(asOf))
                    .forEach(lines::add);
        }
        lines.sort(FlatFeeSchedule.ORDER);
        return List.copyOf(lines);
    }

    /** The spans of {@code period} in which each usage item's usage is billed, by start then item. */
    public List<UsageSpan> usageSpans(BillingPeriod period) {
        Optional<TimeSpan> billed = billableSpan(period);
        if (billed.isEmpty()) {
            return List.of();
        }
        return items.overlapping(billed.get()).stream()
                .filter(version -> version.bills(ItemBilling.USAGE))
                .map(version -> new UsageSpan(
                        version.itemId(),
                        version.change().priceId(),
                        period,
                        version.within(billed.get()).orElseThrow()))
                .toList();
    }

    private void requireOwnPeriod(BillingPeriod period) {
        if (!calendar.period(period.index()).equals(period)) {
            throw new IllegalArgumentException(period + " is not a period of " + calendar);
        }
    }
}
