package dev.tally.metering.topology;

import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Keys;

/**
 * What usage is summed per: one feature of one customer of one organization, in one mode. Test and
 * live usage are different series and never meet.
 */
record Series(String organizationId, boolean livemode, String customerId, String feature) {

    private static final String LIVE = "live";
    private static final String TEST = "test";

    static Series of(UsageEvent event) {
        return new Series(event.getOrganizationId(), event.getLivemode(), event.getCustomerId(), event.getFeature());
    }

    /** A compact text form, parsed back by {@link #parse}. Identifiers never contain the separator. */
    String encode() {
        return organizationId
                + Keys.SEPARATOR
                + (livemode ? LIVE : TEST)
                + Keys.SEPARATOR
                + customerId
                + Keys.SEPARATOR
                + feature;
    }

    static Series parse(String encoded) {
        String[] parts = encoded.split("\\" + Keys.SEPARATOR, 4);
        if (parts.length != 4) {
            throw new IllegalStateException("not a series key: " + encoded);
        }
        return new Series(parts[0], LIVE.equals(parts[1]), parts[2], parts[3]);
    }

    /** The key of this series' window on usage-aggregates, also its aggregate id. */
    String windowKey(long windowStartMillis) {
        return Keys.window(organizationId, livemode, customerId, feature, windowStartMillis);
    }

    /** The key of this series' records on usage-events and usage-corrections. */
    String customerKey() {
        return Keys.customer(organizationId, customerId);
    }
}
