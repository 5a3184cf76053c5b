package dev.tally.billing.entitlement;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A customer's entitlement to a feature, as stored. Only its type's fields are set: {@code limit}, {@code
 * period} and {@code hardLimit} for {@link EntitlementType#METERED}, {@code enabled} for {@link
 * EntitlementType#BOOLEAN}, {@code config} for {@link EntitlementType#STATIC}; the others are null.
 */
public record Entitlement(
        String id,
        String organizationId,
        boolean livemode,
        String customerId,
        String featureKey,
        EntitlementType type,
        BigDecimal limit,
        ResetPeriod period,
        Boolean hardLimit,
        Boolean enabled,
        Map<String, String> config,
        Instant createdAt) {}
