package dev.tally.metering.topology;

import dev.tally.schemas.rules.EventIdentity;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The dedup store: per event identity (organization, mode, customer, event id: {@link
 * EventIdentity}), what {@link SeenEvent} keeps, for the dedup horizon. A window store timestamped by arrival (wall clock), so its retention is the horizon and
 * bounds its size.
 */
final class SeenEvents {

    /** A remembered event and the time it was stored at (kept when it is rewritten). */
    record Found(long storedAt, SeenEvent event) {}

    private final WindowStore<Bytes, byte[]> store;

    SeenEvents(WindowStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /**
     * The dedup key: the project's one event identity, so an id reused under another customer is
     * another event, as ingest answers it.
     */
    static Bytes key(String organizationId, boolean livemode, String customerId, String eventId) {
        String identity = EventIdentity.key(organizationId, livemode, customerId, eventId);
        return Bytes.wrap(identity.getBytes(StandardCharsets.UTF_8));
    }

    /** The event remembered under {@code key} within the horizon, or null. */
    Found find(Bytes key) {
        // any remembered put counts: the store's retention is what bounds the horizon
        try (WindowStoreIterator<byte[]> seen = store.fetch(key, 0L, Long.MAX_VALUE)) {
            if (!seen.hasNext()) {
                return null;
            }
            KeyValue<Long, byte[]> entry = seen.next();
            return new Found(entry.key, StateCodec.decodeSeen(entry.value));
        }
    }

    void remember(Bytes key, SeenEvent event, long now) {
        store.put(key, StateCodec.encode(event), now);
    }

    /** Replaces what is remembered, at its original time, so the horizon does not restart. */
    void rewrite(Bytes key, Found found, SeenEvent event) {
        store.put(key, StateCodec.encode(event), found.storedAt());
    }
}
