package dev.tally.ingest.intake;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ids of events this instance accepted recently, so that a retried event can be answered
 * {@code duplicate} without writing it again. Bounded: two generations of at most {@code capacity / 2}
 * ids each; when the current one fills, the older one is dropped. Best effort by design: an id it
 * has forgotten (or another instance saw) is written again and dropped by the dedup of
 * metering-streams, so nothing is ever counted twice either way.
 */
final class RecentEventIds {

    private final int generationSize;
    private volatile Set<String> current = ConcurrentHashMap.newKeySet();
    private volatile Set<String> previous = ConcurrentHashMap.newKeySet();

    RecentEventIds(int capacity) {
        this.generationSize = Math.max(1, capacity / 2);
    }

    boolean contains(String id) {
        return current.contains(id) || previous.contains(id);
    }

    void add(String id) {
        Set<String> generation = current;
        generation.add(id);
        if (generation.size() > generationSize) {
            rotate(generation);
        }
    }

    private synchronized void rotate(Set<String> full) {
        if (current == full) {
            previous = full;
            current = ConcurrentHashMap.newKeySet();
        }
    }

    /** The identity of an event for dedup: the same id in another organization or mode is another event. */
    static String identity(String organizationId, boolean livemode, String eventId) {
        return organizationId + (livemode ? "|live|" : "|test|") + eventId;
    }
}
