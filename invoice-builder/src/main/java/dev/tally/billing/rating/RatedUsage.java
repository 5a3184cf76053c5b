package dev.tally.billing.rating;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What one price charges for one period's quantity: the body of {@code POST /v1/prices/{id}/quote}
 * and the amount of that price's invoice line.
 *
 * @param currency the price's ISO 4217 code
 * @param amount exact, not rounded: the sum of the breakdown's amounts (trailing zeros dropped, at
 *     least the currency's minor digits, so {@code 12.50} USD and {@code 0.125} USD)
 * @param amountMinor {@code amount} in the currency's minor units, rounded HALF_EVEN once, for the
 *     whole line (never part by part)
 * @param breakdown the parts, in rating order: free units, the model's parts (tiers ascending), then
 *     a minimum or maximum adjustment
 */
public record RatedUsage(String currency, BigDecimal amount, long amountMinor, List<RatedPart> breakdown) {

    public RatedUsage {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(amount, "amount");
        breakdown = List.copyOf(breakdown);
    }
}
