package dev.tally.billing.planning;

import dev.tally.billing.cycle.BillingInterval;
import dev.tally.billing.cycle.ItemBilling;
import dev.tally.billing.cycle.ItemChange;
import dev.tally.billing.cycle.SubscriptionFacts;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.rating.BillingTiming;
import dev.tally.billing.rating.Interval;
import dev.tally.billing.rating.PriceDefinition;
import dev.tally.billing.rating.PriceModel;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prices, subscriptions and the planner's calls of the planning tests, written as briefly as a plan reads. */
final class Plans {

    static final String USD = "USD";
    static final BillingInterval MONTHLY = BillingInterval.every(BillingInterval.Unit.MONTH);
    static final BillingInterval DAILY = BillingInterval.every(BillingInterval.Unit.DAY);

    /** Flat fees per period: basic 10.00, pro 30.00, premium 90.00, seat 8.00, addon 5.00, support 20.00. */
    static final Map<String, PlannedPrice> PRICES = Map.of(
            "basic", flat("Basic plan", "10.00"),
            "pro", flat("Pro plan", "30.00"),
            "premium", flat("Premium plan", "90.00"),
            "seat", flat("Seat", "8.00"),
            "addon", flat("Add-on", "5.00"),
            "support", flatInArrears("Support", "20.00"),
            "calls", usage("API calls", "ai_call", new PriceModel.PerUnit(new BigDecimal("0.10"))));

    private Plans() {}

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    static PlannedPrice flat(String name, String amount) {
        return new PlannedPrice(
                name, definition(new PriceModel.Flat(new BigDecimal(amount)), BillingTiming.IN_ADVANCE), null);
    }

    static PlannedPrice flatInArrears(String name, String amount) {
        return new PlannedPrice(
                name, definition(new PriceModel.Flat(new BigDecimal(amount)), BillingTiming.IN_ARREARS), null);
    }

    static PlannedPrice usage(String name, String featureKey, PriceModel model) {
        return new PlannedPrice(name, definition(model, BillingTiming.IN_ARREARS), featureKey);
    }

    static PlannedPrice usage(String name, String featureKey, PriceDefinition definition) {
        return new PlannedPrice(name, definition, featureKey);
    }

    static PriceDefinition definition(PriceModel model, BillingTiming timing) {
        return new PriceDefinition(USD, model, null, null, null, Interval.MONTH, 1, timing);
    }

    static SubscriptionFacts monthlyUtc(String startAt, ItemChange... items) {
        return subscription(startAt, ZoneOffset.UTC, MONTHLY, items);
    }

    static SubscriptionFacts subscription(String startAt, ZoneId zone, BillingInterval interval, ItemChange... items) {
        return SubscriptionFacts.starting(at(startAt), zone, interval).withItems(List.of(items));
    }

    static ItemChange advance(String at, String item, String price, long quantity) {
        return ItemChange.set(at(at), item, price, ItemBilling.FLAT_IN_ADVANCE, quantity);
    }

    static ItemChange arrears(String at, String item, String price, long quantity) {
        return ItemChange.set(at(at), item, price, ItemBilling.FLAT_IN_ARREARS, quantity);
    }

    static ItemChange metered(String at, String item, String price) {
        return ItemChange.set(at(at), item, price, ItemBilling.USAGE, 1);
    }

    /** The plan of {@code facts} at {@link #PRICES} as of {@code asOf}. */
    static InvoicePlan plan(SubscriptionFacts facts, UsageSource usage, List<InvoicedLine> invoiced, String asOf) {
        return plan(facts, PRICES, usage, invoiced, asOf);
    }

    static InvoicePlan plan(
            SubscriptionFacts facts,
            Map<String, PlannedPrice> prices,
            UsageSource usage,
            List<InvoicedLine> invoiced,
            String asOf) {
        return InvoicePlanner.plan(SubscriptionTimeline.of(facts), USD, prices, usage, invoiced, at(asOf));
    }

    /** The plan's lines as the writer stores them, after {@code before}. */
    static List<InvoicedLine> invoiced(List<InvoicedLine> before, InvoicePlan plan) {
        List<InvoicedLine> all = new ArrayList<>(before);
        plan.lines().stream()
                .map(line -> new InvoicedLine(line.key(), line.quantity(), line.eventCount(), line.amountMinor()))
                .forEach(all::add);
        return List.copyOf(all);
    }

    /** "KIND price×quantity amountMinor". */
    static List<String> brief(InvoicePlan plan) {
        return plan.lines().stream()
                .map(line -> line.kind() + " " + line.priceId() + "×"
                        + line.quantity().stripTrailingZeros().toPlainString() + " " + line.amountMinor())
                .toList();
    }
}
