package dev.tally.billing.invoice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/**
 * Pure rating: usage quantities and per-unit prices in, invoice lines out; no I/O. A line's amount
 * is quantity × unit amount rounded HALF_EVEN to the currency's minor unit; the total is the exact
 * sum of the lines.
 */
public final class Rating {

    private Rating() {}

    /** A price a customer is subscribed to. */
    public record SubscribedPrice(String priceId, String featureKey, String currency, BigDecimal unitAmount) {}

    /** One rated line. */
    public record RatedLine(
            String priceId,
            String featureKey,
            String currency,
            BigDecimal quantity,
            BigDecimal unitAmount,
            long amountMinor) {}

    /**
     * One line per price, in the order given, with the quantity of its feature in
     * {@code usageByFeature} (zero when absent).
     */
    public static List<RatedLine> rate(Map<String, BigDecimal> usageByFeature, List<SubscribedPrice> prices) {
        List<RatedLine> lines = new ArrayList<>(prices.size());
        for (SubscribedPrice price : prices) {
            BigDecimal quantity = usageByFeature.getOrDefault(price.featureKey(), BigDecimal.ZERO);
            lines.add(new RatedLine(
                    price.priceId(),
                    price.featureKey(),
                    price.currency(),
                    quantity,
                    price.unitAmount(),
                    amountMinor(quantity, price.unitAmount(), price.currency())));
        }
        return lines;
    }

    /** {@code quantity × unitAmount} in minor units of {@code currency}, rounded HALF_EVEN. */
    public static long amountMinor(BigDecimal quantity, BigDecimal unitAmount, String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        return quantity.multiply(unitAmount)
                .setScale(digits, RoundingMode.HALF_EVEN)
                .movePointRight(digits)
                .longValueExact();
    }

    /** The sum of the lines' amounts. */
    public static long total(List<RatedLine> lines) {
        long total = 0;
        for (RatedLine line : lines) {
            total = Math.addExact(total, line.amountMinor());
        }
        return total;
    }
}
