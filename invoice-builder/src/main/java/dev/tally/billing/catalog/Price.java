package dev.tally.billing.catalog;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A price of a product, immutable: its model ({@code flat}, {@code per_unit}, …) and its definition
 * as stored (the JSON of {@link PriceBody}, read by the rating package's validator); {@code
 * unitAmount} in the currency's major unit, scale 9, for per_unit prices only (null otherwise).
 */
public record Price(
        String id,
        String organizationId,
        boolean livemode,
        String productId,
        String featureKey,
        String currency,
        BigDecimal unitAmount,
        String model,
        String definition,
        Instant createdAt) {}
