package dev.tally.billing.catalog;

import java.math.BigDecimal;

/** A per-unit price of a product: {@code unitAmount} in the currency's major unit, scale 9. */
public record Price(
        String id,
        String organizationId,
        boolean livemode,
        String productId,
        String featureKey,
        String currency,
        BigDecimal unitAmount) {}
