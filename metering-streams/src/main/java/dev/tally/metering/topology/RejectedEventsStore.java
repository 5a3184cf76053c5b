package dev.tally.metering.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** Reads the rejected-events store; the query API's only view of its layout. */
public final class RejectedEventsStore {

    /** Oldest first; events of one millisecond by id (a missing id first). */
    public static final Comparator<RejectedEvent> ORDER = Comparator.comparingLong(RejectedEvent::rejectedAt)
            .thenComparing(RejectedEvent::eventId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(RejectedEvent::customerId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(RejectedEvent::reason);

    /** Above every character a key can hold: the end of a key-prefix range. */
    private static final char PREFIX_END = '\uffff';

    /** Up to {@code limit} rejections, oldest first, and whether there were more. */
    public record Page(List<RejectedEvent> events, boolean hasMore) {}

    private RejectedEventsStore() {}

    /**
     * The rejections of one customer, or of every customer when {@code customerId} is null, of one
     * organization and mode, rejected in {@code [fromMillis, toMillis)}.
     */
    public static Page read(
            ReadOnlyWindowStore<String, byte[]> store,
            String organizationId,
            boolean livemode,
            String customerId,
            long fromMillis,
            long toMillis,
            int limit) {
        Earliest earliest = new Earliest(limit);
        if (toMillis <= fromMillis) {
            return earliest.page();
        }
        Instant from = Instant.ofEpochMilli(fromMillis);
        Instant to = Instant.ofEpochMilli(toMillis - 1);
        if (customerId != null) {
            try (WindowStoreIterator<byte[]> entries =
                    store.fetch(RejectedEvents.key(organizationId, livemode, customerId), from, to)) {
                entries.forEachRemaining(entry -> earliest.offer(StateCodec.decodeRejected(entry.value, entry.key)));
            }
            return earliest.page();
        }
        String prefix = RejectedEvents.organizationPrefix(organizationId, livemode);
        try (KeyValueIterator<Windowed<String>, byte[]> entries = store.fetch(prefix, prefix + PREFIX_END, from, to)) {
            while (entries.hasNext()) {
                KeyValue<Windowed<String>, byte[]> entry = entries.next();
                if (entry.key.key().startsWith(prefix)) {
                    earliest.offer(StateCodec.decodeRejected(
                            entry.value, entry.key.window().start()));
                }
            }
        }
        return earliest.page();
    }

    /** The earliest {@code limit + 1} rejections seen, whatever their order in the store: bounded memory. */
    private static final class Earliest {
        private final int limit;
        private final PriorityQueue<RejectedEvent> latestFirst = new PriorityQueue<>(ORDER.reversed());

        Earliest(int limit) {
            this.limit = limit;
        }

        void offer(RejectedEvent event) {
            latestFirst.add(event);
            if (latestFirst.size() > limit + 1) {
                latestFirst.poll();
            }
        }

        Page page() {
            List<RejectedEvent> events = new ArrayList<>(latestFirst);
            events.sort(ORDER);
            boolean hasMore = events.size() > limit;
            return new Page(hasMore ? events.subList(0, limit) : events, hasMore);
        }
    }
}
