package dev.tally.billing.rating;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One part of a rated amount. Where both {@code quantity} and {@code unitAmount} are given, {@code
 * amount} is exactly their product.
 *
 * @param kind what the part is
 * @param tierIndex the tier's index in {@code tiers} (from 0, as in the path {@code tiers[0]}) for
 *     {@link PartKind#TIER} and {@link PartKind#TIER_FLAT_FEE}; null otherwise
 * @param quantity at {@link dev.tally.schemas.Decimals#QUANTITY_SCALE}: the units (tier, units,
 *     percentage, free units), the licensed quantity (flat fee), the started packages (package), the
 *     events (fixed per event), 1 (a tier's flat fee); null for the minimum and maximum adjustments
 * @param unitAmount the price of one of {@code quantity} (for a percentage, {@code rate} / 100); null
 *     for free units and the adjustments
 * @param amount exact, not rounded (trailing zeros dropped, at least the currency's minor digits)
 */
public record RatedPart(
        PartKind kind, Integer tierIndex, BigDecimal quantity, BigDecimal unitAmount, BigDecimal amount) {

    public RatedPart {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(amount, "amount");
    }
}
