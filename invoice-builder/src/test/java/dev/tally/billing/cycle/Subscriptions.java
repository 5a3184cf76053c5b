package dev.tally.billing.cycle;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Prices and subscriptions of the timeline tests, and a readable form of their lines. */
final class Subscriptions {

    /** Flat fees per period (major units), by price id. */
    static final Map<String, BigDecimal> FEES = Map.of(
            "basic", new BigDecimal("10.00"),
            "pro", new BigDecimal("30.00"),
            "seat", new BigDecimal("8.00"),
            "addon", new BigDecimal("5.00"),
            "support", new BigDecimal("20.00"));

    static final BillingInterval MONTHLY = BillingInterval.every(BillingInterval.Unit.MONTH);

    private Subscriptions() {}

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    static SubscriptionFacts monthlyUtc(String startAt, ItemChange... items) {
        return monthly(startAt, ZoneOffset.UTC, items);
    }

    static SubscriptionFacts monthly(String startAt, ZoneId zone, ItemChange... items) {
        return SubscriptionFacts.starting(at(startAt), zone, MONTHLY).withItems(List.of(items));
    }

    static ItemChange advance(String at, String item, String price, long quantity) {
        return ItemChange.set(at(at), item, price, ItemBilling.FLAT_IN_ADVANCE, quantity);
    }

    static ItemChange arrears(String at, String item, String price, long quantity) {
        return ItemChange.set(at(at), item, price, ItemBilling.FLAT_IN_ARREARS, quantity);
    }

    static ItemChange usage(String at, String item, String price) {
        return ItemChange.set(at(at), item, price, ItemBilling.USAGE, 1);
    }

    /** "KIND price×quantity [from, to) numerator/denominator @billableAt". */
    static String describe(FlatCharge line) {
        return line.kind() + " " + line.priceId() + "×" + line.quantity() + " " + line.span() + " " + line.fraction()
                + " @" + line.billableAt();
    }

    static List<String> describe(List<FlatCharge> lines) {
        return lines.stream().map(Subscriptions::describe).toList();
    }

    /** The line's amount at its price's fee, rounded once to cents. */
    static BigDecimal cents(FlatCharge line) {
        return exactAmount(line).round(2, RoundingMode.HALF_EVEN);
    }

    static ExactAmount exactAmount(FlatCharge line) {
        return line.amount(FEES.get(line.priceId()));
    }

    /** The exact sum of the lines' amounts. */
    static ExactAmount exactTotal(List<FlatCharge> lines) {
        return lines.stream()
                .map(Subscriptions::exactAmount)
                .reduce(new ExactAmount(BigDecimal.ZERO, 1), ExactAmount::plus);
    }

    /** {@code fee} × {@code seconds} ÷ {@code periodSeconds}, exact. */
    static ExactAmount share(String fee, long quantity, long seconds, long periodSeconds) {
        return new ExactAmount(
                new BigDecimal(fee).multiply(BigDecimal.valueOf(quantity)).multiply(BigDecimal.valueOf(seconds)),
                periodSeconds);
    }
}
