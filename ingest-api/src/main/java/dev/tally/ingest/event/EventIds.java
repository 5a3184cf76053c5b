package dev.tally.ingest.event;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for events sent without one: UUID version 7 (milliseconds first, then 74 random bits), so
 * that ids sort by time, which keeps the dedup stores downstream compact. Random bits come from
 * {@link ThreadLocalRandom}: uniqueness is what matters here, not unpredictability, and it does not
 * contend across the event-loop threads like {@link UUID#randomUUID()}'s shared SecureRandom.
 */
public final class EventIds {

    private EventIds() {}

    /** A new event id, e.g. {@code 019a9f2e-7b1c-7d3e-8f40-0123456789ab}. */
    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
