package dev.tally.metering.topology;

import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Keys;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The rejected-events store: every event the processor sends to usage-rejected, under its
 * organization, mode and customer, for the dedup horizon, so clients can see what was accepted and
 * then not counted. Written by the processor that writes the dead letter, so both commit in one
 * transaction. A window store timestamped by the rejection's wall clock, keeping duplicates (many
 * rejections of one customer may share a millisecond); its retention bounds its size.
 */
final class RejectedEvents {

    private final WindowStore<String, byte[]> store;

    RejectedEvents(WindowStore<String, byte[]> store) {
        this.store = store;
    }

    /** The key of a customer's rejections: {@code organization|mode|customer}. */
    static String key(String organizationId, boolean livemode, String customerId) {
        return organizationPrefix(organizationId, livemode) + customerId;
    }

    /** What every key of the organization's rejections in one mode starts with. */
    static String organizationPrefix(String organizationId, boolean livemode) {
        return organizationId + Keys.SEPARATOR + (livemode ? "live" : "test") + Keys.SEPARATOR;
    }

    /**
     * Remembers the rejection of {@code event}. An event with no usable organization (a tombstone,
     * an id missing or holding the separator) belongs to no one who could ask: it stays on the
     * topic only.
     */
    void remember(UsageEvent event, String code, String detail, long now) {
        if (event == null || !isOrganization(event.getOrganizationId())) {
            return;
        }
        String customer = event.getCustomerId() == null ? "" : event.getCustomerId();
        RejectedEvent rejected =
                new RejectedEvent(event.getEventId(), event.getCustomerId(), event.getFeature(), code, detail, now);
        store.put(key(event.getOrganizationId(), event.getLivemode(), customer), StateCodec.encode(rejected), now);
    }

    private static boolean isOrganization(String organizationId) {
        return organizationId != null && !organizationId.isBlank() && organizationId.indexOf(Keys.SEPARATOR) < 0;
    }
}
