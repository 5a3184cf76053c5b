package dev.tally.billing.catalog;

import java.time.Instant;

/**
 * Something an organization sells: {@code metered} (usage of the feature its events name by {@code
 * featureKey}), {@code recurring} (a fee per period) or {@code one_time}; {@code featureKey} is null
 * for the last two. An inactive product takes no new prices.
 */
public record Product(
        String id,
        String organizationId,
        boolean livemode,
        String featureKey,
        String name,
        String description,
        String type,
        boolean active,
        Instant createdAt) {

    /** The values of {@code type}. */
    public static final String METERED = "metered";

    public static final String RECURRING = "recurring";
    public static final String ONE_TIME = "one_time";
}
