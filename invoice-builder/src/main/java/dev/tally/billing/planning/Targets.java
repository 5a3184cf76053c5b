package dev.tally.billing.planning;

import dev.tally.billing.cycle.BillingPeriod;
import dev.tally.billing.cycle.ExactAmount;
import dev.tally.billing.cycle.FlatCharge;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.cycle.UsageSpan;
import dev.tally.billing.rating.PriceModel;
import dev.tally.billing.rating.PriceRater;
import dev.tally.billing.rating.RatedUsage;
import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a subscription's facts say each key should bill by {@code asOf}: its flat fees and its rated usage spans. */
final class Targets {

    private final SubscriptionTimeline timeline;
    private final String currency;
    private final Map<String, PlannedPrice> prices;
    private final UsageSource usage;

    Targets(SubscriptionTimeline timeline, String currency, Map<String, PlannedPrice> prices, UsageSource usage) {
        this.timeline = timeline;
        this.currency = currency;
        this.prices = prices;
        this.usage = usage;
    }

    /** Every key billable by {@code asOf}: flat fees whose billable instant has come, usage spans that have ended. */
    Map<LineKey, Target> billableBy(Instant asOf) {
        Map<LineKey, Target> targets = new LinkedHashMap<>();
        for (FlatCharge charge : timeline.flatChargesBillableBy(asOf)) {
            add(targets, flat(charge));
        }
        for (BillingPeriod period : timeline.periods(timeline.facts().startAt(), asOf)) {
            for (UsageSpan span : timeline.usageSpans(period)) {
                if (!span.span().to().isAfter(asOf)) {
                    add(targets, usage(span));
                }
            }
        }
        return targets;
    }

    /**
     * Whether the facts still imply {@code key} at all, billable by {@code asOf} or later: false once a late
     * change replaced it (the change moved, the item was removed, the subscription cancelled before it).
     */
    boolean stillImply(LineKey key) {
        BillingPeriod period = timeline.periodAt(key.span().from());
        if (key.isUsage()) {
            return timeline.usageSpans(period).stream().map(LineKey::of).anyMatch(key::equals);
        }
        return timeline.flatCharges(period).stream().map(LineKey::of).anyMatch(key::equals);
    }

    /** The feature of {@code priceId}, when it is a known usage price. */
    String featureKeyOf(String priceId) {
        PlannedPrice price = prices.get(priceId);
        return price == null ? null : price.featureKey();
    }

    private static void add(Map<LineKey, Target> targets, Target target) {
        if (targets.put(target.key(), target) != null) {
            throw new IllegalStateException(
                    "two lines share the key " + target.key().text());
        }
    }

    private Target flat(FlatCharge charge) {
        PlannedPrice price = price(charge.priceId());
        if (!(price.definition().model() instanceof PriceModel.Flat flat)
                || !price.definition().isRecurring()) {
            throw new IllegalArgumentException("price " + charge.priceId() + " of item " + charge.itemId()
                    + " is billed as a recurring flat fee but is not one");
        }
        ExactAmount amount = charge.amount(flat.flatAmount());
        return new Target(
                LineKey.of(charge),
                null,
                BigDecimal.valueOf(charge.quantity()),
                0,
                charge.period(),
                charge.fraction(),
                amount,
                toMinor(amount),
                List.of(),
                charge.billableAt());
    }

    /** Each span is rated as one period: free units, minimum and maximum apply to it alone. */
    private Target usage(UsageSpan span) {
        PlannedPrice price = price(span.priceId());
        if (!price.ratesUsage()) {
            throw new IllegalArgumentException(
                    "price " + span.priceId() + " of item " + span.itemId() + " is billed as usage but is a flat fee");
        }
        Usage used = Objects.requireNonNull(
                usage.usage(span.itemId(), span.priceId(), price.featureKey(), span.span()),
                "the usage source answered null");
        RatedUsage rated = PriceRater.rate(price.definition(), used.quantity(), used.eventCount());
        return new Target(
                LineKey.of(span),
                price.featureKey(),
                used.quantity(),
                used.eventCount(),
                span.period(),
                null,
                new ExactAmount(rated.amount(), 1),
                rated.amountMinor(),
                rated.breakdown(),
                span.span().to());
    }

    private PlannedPrice price(String priceId) {
        PlannedPrice price = prices.get(priceId);
        if (price == null) {
            throw new IllegalArgumentException("no price " + priceId + " among the prices given");
        }
        if (!price.definition().currency().equals(currency)) {
            throw new IllegalArgumentException("price " + priceId + " is in "
                    + price.definition().currency() + ", the subscription in " + currency);
        }
        return price;
    }

    /**
     * {@code amount} in minor units, rounded once: the exact quotient rounded HALF_EVEN to the currency's minor
     * digits ({@link Currencies}' rule), which {@link Currencies#toMinor} then only converts and bounds.
     */
    private long toMinor(ExactAmount amount) {
        return Currencies.toMinor(amount.round(Currencies.minorDigits(currency), RoundingMode.HALF_EVEN), currency);
    }
}
