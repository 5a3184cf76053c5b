package dev.tally.schemas.topic;

/**
 * Record keys of the pipeline's topics. Identifiers are validated at ingest to exclude the
 * separator, so a key always splits back into its parts.
 */
public final class Keys {

    /** Separates the parts of a key; never allowed inside an identifier. */
    public static final char SEPARATOR = '|';

    private Keys() {}

    /** Key of usage-events and usage-corrections: all of a customer's usage lands on one partition. */
    public static String customer(String organizationId, String customerId) {
        return organizationId + SEPARATOR + customerId;
    }

    /**
     * Key of usage-aggregates: one customer's feature in one window, in one mode (test and live
     * usage never share a key).
     */
    public static String window(
            String organizationId, boolean livemode, String customerId, String feature, long windowStartMillis) {
        return organizationId
                + SEPARATOR
                + mode(livemode)
                + SEPARATOR
                + customerId
                + SEPARATOR
                + feature
                + SEPARATOR
                + windowStartMillis;
    }

    /** Key of the meters topic: at most one active meter per organization, mode and feature. */
    public static String meter(String organizationId, boolean livemode, String feature) {
        return organizationId + SEPARATOR + mode(livemode) + SEPARATOR + feature;
    }

    private static String mode(boolean livemode) {
        return livemode ? "live" : "test";
    }
}
