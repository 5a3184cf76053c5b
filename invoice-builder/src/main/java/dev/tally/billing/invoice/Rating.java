package dev.tally.billing.invoice;

import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Pure rating: usage, restatements of earlier periods, prices and the customer's credit in, invoice
 * lines out; no I/O. Every line's amount is quantity × unit amount rounded HALF_EVEN to the
 * currency's minor unit; the total is the exact sum of the lines and never negative. An amount or
 * total beyond the {@code long} minor units fails with {@link AmountTooLargeException}.
 *
 * <p>An adjustment is rated on its own line (not folded into the usage line) so that finance sees
 * which earlier period changed, by how much, and at which quantity it now stands. Like every line,
 * its amount is its quantity (the difference) × the unit amount, rounded: the amounts billed for a
 * period over several invoices may differ by at most one minor unit per adjustment from a single
 * rating of the period's final quantity, while the quantities always add up exactly.
 */
public final class Rating {

    private Rating() {}

    /** A price a customer is subscribed to. */
    public record SubscribedPrice(String priceId, String featureKey, String currency, BigDecimal unitAmount) {}

    /**
     * A restated earlier period of one feature: the quantity billed for it so far and its usage now
     * (the windows at their latest revisions, merged).
     */
    public record Adjustment(
            String featureKey, UsagePeriod period, BigDecimal billedQuantity, BigDecimal restatedQuantity) {

        /** What the restatement adds to (or, when negative, takes off) the period. */
        public BigDecimal difference() {
            return restatedQuantity.subtract(billedQuantity);
        }
    }

    /** One rated line; {@code priceId}, {@code featureKey} and {@code usagePeriod} are null on credit lines. */
    public record RatedLine(
            LineKind kind,
            String priceId,
            String featureKey,
            String currency,
            BigDecimal quantity,
            BigDecimal unitAmount,
            long amountMinor,
            UsagePeriod usagePeriod,
            BigDecimal previousQuantity) {}

    /**
     * The lines of one invoice in {@code currency}: one usage line per price in the order given
     * (quantity zero when the feature has no usage in {@code period}), then one adjustment line
     * per adjustment of a priced feature (by price, then period), then at most one credit line
     * by {@link CustomerCredit}'s rule ({@code creditBalanceMinor}: credit from earlier invoices).
     */
    public static List<RatedLine> rate(
            String currency,
            UsagePeriod period,
            Map<String, BigDecimal> usageByFeature,
            List<Adjustment> adjustments,
            List<SubscribedPrice> prices,
            long creditBalanceMinor) {
        List<RatedLine> lines = new ArrayList<>();
        for (SubscribedPrice price : prices) {
            BigDecimal quantity = usageByFeature.getOrDefault(price.featureKey(), BigDecimal.ZERO);
            lines.add(new RatedLine(
                    LineKind.USAGE,
                    price.priceId(),
                    price.featureKey(),
                    currency,
                    quantity,
                    price.unitAmount(),
                    amountMinor(quantity, price.unitAmount(), currency),
                    period,
                    null));
        }
        for (SubscribedPrice price : prices) {
            adjustments.stream()
                    .filter(a -> a.featureKey().equals(price.featureKey()))
                    .sorted(Comparator.comparing(a -> a.period().start()))
                    .forEach(a -> lines.add(new RatedLine(
                            LineKind.ADJUSTMENT,
                            price.priceId(),
                            price.featureKey(),
                            currency,
                            a.difference(),
                            price.unitAmount(),
                            amountMinor(a.difference(), price.unitAmount(), currency),
                            a.period(),
                            a.billedQuantity())));
        }
        CustomerCredit.of(total(lines), creditBalanceMinor)
                .ifPresent(credit -> lines.add(new RatedLine(
                        credit.kind(),
                        null,
                        null,
                        currency,
                        BigDecimal.ONE,
                        Currencies.fromMinor(credit.amountMinor(), currency),
                        credit.amountMinor(),
                        null,
                        null)));
        return lines;
    }

    /**
     * {@code quantity × unitAmount} in minor units of {@code currency}, rounded HALF_EVEN by the
     * project's one rounding ({@link Currencies#toMinor}); computed exactly in {@link BigDecimal}.
     *
     * @throws AmountTooLargeException when the amount does not fit a {@code long}
     */
    public static long amountMinor(BigDecimal quantity, BigDecimal unitAmount, String currency) {
        try {
            return Currencies.toMinor(quantity.multiply(unitAmount), currency);
        } catch (Currencies.MinorUnitsOverflowException e) {
            throw new AmountTooLargeException("the amount of " + quantity.toPlainString() + " × "
                    + unitAmount.toPlainString() + " " + currency + " exceeds " + Long.MAX_VALUE + " minor units");
        }
    }

    /**
     * The sum of the lines' amounts.
     *
     * @throws AmountTooLargeException when the sum does not fit a {@code long}
     */
    public static long total(List<RatedLine> lines) {
        long total = 0;
        for (RatedLine line : lines) {
            try {
                total = Math.addExact(total, line.amountMinor());
            } catch (ArithmeticException e) {
                throw new AmountTooLargeException("the invoice total exceeds " + Long.MAX_VALUE + " minor units");
            }
        }
        return total;
    }
}
