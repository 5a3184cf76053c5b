package dev.tally.billing.planning;

import dev.tally.billing.cycle.BillingPeriod;
import dev.tally.billing.cycle.Cancellation;
import dev.tally.billing.cycle.ExactAmount;
import dev.tally.billing.cycle.FlatCharge;
import dev.tally.billing.cycle.ItemChange;
import dev.tally.billing.cycle.SubscriptionFacts;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.cycle.UsageSpan;
import dev.tally.billing.planning.PlannedLine.Kind;
import dev.tally.schemas.rules.Currencies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Plans a subscription's draft invoice lines, pure (no clock, no I/O), as Kill Bill's invoice generator does:
 * it computes everything the facts make billable by {@code asOf} and subtracts what earlier invoices already
 * hold, key by key. Planning twice gives nothing the second time; a backdated start, a late change or restated
 * usage yields exactly the lines that bring the invoiced keys to what the facts now say. The rules are in
 * {@link dev.tally.billing.planning the package's description}.
 */
public final class InvoicePlanner {

    private static final Comparator<PlannedLine> ORDER_OF_KIND = Comparator.comparing(PlannedLine::kind);

    private InvoicePlanner() {}

    /**
     * The lines billable by {@code asOf} that {@code invoiced} does not already hold.
     *
     * @param timeline the subscription
     * @param currency the subscription's: every price it bills must be in it
     * @param prices at least every price the subscription's items name, by price id
     * @param usage the ledger's usage per usage span
     * @param invoiced every line the subscription's earlier invoices hold (of this subscription only)
     * @param asOf the instant planned for: a flat fee is billable once its billable instant is at or before
     *     it, a usage span once its end is
     * @throws IllegalArgumentException if an item's price is missing, in another currency or of the wrong kind
     *     (a flat fee billed as usage, or the reverse), or if an invoiced key is not one the planner writes
     * @throws Currencies.MinorUnitsOverflowException if a line's amount does not fit {@code long} minor units
     */
    public static InvoicePlan plan(
            SubscriptionTimeline timeline,
            String currency,
            Map<String, PlannedPrice> prices,
            UsageSource usage,
            List<InvoicedLine> invoiced,
            Instant asOf) {
        Objects.requireNonNull(asOf, "asOf");
        Currencies.minorDigits(currency); // an unknown currency fails here, before any line is rated
        Targets targets = new Targets(timeline, currency, Map.copyOf(prices), usage);
        LineDescriptions descriptions = new LineDescriptions(timeline.facts().timeZone());
        Map<LineKey, Target> due = targets.billableBy(asOf);
        Map<LineKey, Standing> standings = Standing.of(invoiced);

        List<Drafted> drafted = new ArrayList<>();
        for (Target target : due.values()) {
            Standing standing = standings.get(target.key());
            if (standing == null && !target.isNothing()) {
                drafted.add(new Drafted(target, line(target, descriptions, prices)));
            } else if (standing != null && target.differsFrom(standing)) {
                drafted.add(new Drafted(target, adjustment(target, standing, descriptions, prices, currency)));
            }
        }
        standings.forEach((key, standing) -> {
            if (!due.containsKey(key) && !targets.stillImply(key)) {
                Target nothing = Target.nothing(key, targets.featureKeyOf(key.priceId()));
                if (nothing.differsFrom(standing)) {
                    drafted.add(new Drafted(nothing, adjustment(nothing, standing, descriptions, prices, currency)));
                }
            }
        });
        drafted.sort(Drafted.ORDER);
        return new InvoicePlan(
                currency, asOf, drafted.stream().map(Drafted::line).toList());
    }

    /**
     * The earliest instant after {@code asOf} at which the subscription's facts make a new line billable: a
     * period's start or end, the trial's end, a change, a cancellation; empty when none ever will (ended, or
     * nothing to bill). Restated usage can make an adjustment due at any time: the ledger's changes are the
     * other reason to plan again.
     */
    public static Optional<Instant> nextDueAt(SubscriptionTimeline timeline, Instant asOf) {
        SubscriptionFacts facts = timeline.facts();
        // after the last fact, every period bills like the one before: one more period is enough to look at
        Instant lastFact = latest(Stream.concat(
                Stream.of(asOf, facts.startAt(), facts.trialEnd(), facts.billingAnchor(), cancelAt(facts)),
                facts.items().stream().map(ItemChange::at)));
        BillingPeriod after =
                timeline.calendar().period(timeline.periodAt(lastFact).index() + 1);
        Instant from = latest(Stream.of(asOf, facts.startAt()));
        for (BillingPeriod period : timeline.periods(from, after.end())) {
            Optional<Instant> next = Stream.concat(
                            timeline.flatCharges(period).stream().map(FlatCharge::billableAt),
                            timeline.usageSpans(period).stream()
                                    .map(UsageSpan::span)
                                    .map(TimeSpan::to))
                    .filter(instant -> instant.isAfter(asOf))
                    .min(Comparator.naturalOrder());
            if (next.isPresent()) {
                return next; // a later period's instants all lie at or after this one's end
            }
        }
        return Optional.empty();
    }

    private static PlannedLine line(Target target, LineDescriptions descriptions, Map<String, PlannedPrice> prices) {
        LineKey key = target.key();
        return new PlannedLine(
                key.text(),
                key.kind(),
                key.itemId(),
                key.priceId(),
                target.featureKey(),
                key.span(),
                target.quantity(),
                target.eventCount(),
                target.fraction(),
                target.amount(),
                target.amountMinor(),
                target.breakdown(),
                null,
                descriptions.of(target, nameOf(prices, key.priceId())));
    }

    /** The difference of rounded amounts: what the key now bills in all less what its lines billed. */
    private static PlannedLine adjustment(
            Target target,
            Standing invoiced,
            LineDescriptions descriptions,
            Map<String, PlannedPrice> prices,
            String currency) {
        LineKey key = target.key();
        long difference = Math.subtractExact(target.amountMinor(), invoiced.amountMinor());
        return new PlannedLine(
                key.adjustmentText(invoiced.revision() + 1),
                Kind.ADJUSTMENT,
                key.itemId(),
                key.priceId(),
                target.featureKey(),
                key.span(),
                target.quantity(),
                target.eventCount(),
                target.fraction(),
                new ExactAmount(Currencies.fromMinor(difference, currency), 1),
                difference,
                target.breakdown(),
                invoiced.billed(key),
                descriptions.adjustment(target, invoiced, nameOf(prices, key.priceId())));
    }

    private static String nameOf(Map<String, PlannedPrice> prices, String priceId) {
        PlannedPrice price = prices.get(priceId);
        return price == null ? priceId : price.name();
    }

    private static Instant cancelAt(SubscriptionFacts facts) {
        Cancellation cancellation = facts.cancellation();
        return cancellation == null ? null : cancellation.instant();
    }

    private static Instant latest(Stream<Instant> instants) {
        return instants.filter(Objects::nonNull).max(Comparator.naturalOrder()).orElseThrow();
    }

    /** A line and the target it came from, ordered by when billable, then kind, item and key. */
    private record Drafted(Target target, PlannedLine line) {
        static final Comparator<Drafted> ORDER = Comparator.comparing((Drafted d) -> d.target.billableAt())
                .thenComparing(Drafted::line, ORDER_OF_KIND)
                .thenComparing(d -> d.line.itemId())
                .thenComparing(d -> d.line.key());
    }
}
