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

    /**
     * Key of usage-finality: the usage-events partition whose watermark the record carries, e.g.
     * {@code p3}, so compaction keeps each partition's latest watermark.
     */
    public static String finality(int usageEventsPartition) {
        return "p" + usageEventsPartition;
    }

    /** Key of the meters topic: at most one active meter per organization, mode and feature. */
    public static String meter(String organizationId, boolean livemode, String feature) {
        return organizationId + SEPARATOR + mode(livemode) + SEPARATOR + feature;
    }

    /** The parts of a {@link #meter} key. */
    public record MeterKey(String organizationId, boolean livemode, String feature) {}

    /**
     * The parts of {@code key}, a key of the meters topic, or null when it is not one (a reader
     * of the topic needs them for a tombstone, which carries no value to read them from).
     */
    public static MeterKey parseMeter(String key) {
        if (key == null) {
            return null;
        }
        int first = key.indexOf(SEPARATOR);
        int second = first < 0 ? -1 : key.indexOf(SEPARATOR, first + 1);
        if (second < 0) {
            return null;
        }
        String mode = key.substring(first + 1, second);
        if (!mode.equals(mode(true)) && !mode.equals(mode(false))) {
            return null;
        }
        return new MeterKey(key.substring(0, first), mode.equals(mode(true)), key.substring(second + 1));
    }

    private static String mode(boolean livemode) {
        return livemode ? "live" : "test";
    }
}
