package dev.tally.ingest.auth;

import dev.tally.schemas.avro.ApiKeyUsage;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each API key was last used, in memory: authentication notes it on the hot path (a map
 * lookup and a field write, no allocation once the key is known) and a background task publishes,
 * every few seconds, the keys used since their last acknowledged publication.
 *
 * <p>Only authenticated keys are tracked, so the map is bounded by the organizations' keys.
 */
@Singleton
public final class KeyUsageTracker {

    private final Map<String, Usage> byHash = new ConcurrentHashMap<>();

    /** Notes that the key with hash {@code keyHash} of {@code organizationId} was used at {@code epochMillis}. */
    public void used(String keyHash, String organizationId, long epochMillis) {
        Usage usage = byHash.get(keyHash);
        if (usage == null) {
            usage = byHash.computeIfAbsent(keyHash, hash -> new Usage(hash, organizationId));
        }
        usage.touch(epochMillis);
    }

    /**
     * One {@link ApiKeyUsage} per key used since its last acknowledged publication, with its latest
     * time. A key stays pending (and is returned again next round) until {@link #published} is told.
     */
    public List<ApiKeyUsage> pending() {
        List<ApiKeyUsage> pending = new ArrayList<>();
        for (Usage usage : byHash.values()) {
            long lastUsed = usage.lastUsed;
            if (lastUsed > usage.published) {
                pending.add(new ApiKeyUsage(usage.keyHash, usage.organizationId, Instant.ofEpochMilli(lastUsed)));
            }
        }
        return pending;
    }

    /** Records that {@code usage} reached the broker: the key is pending again only once used later. */
    public void published(ApiKeyUsage usage) {
        Usage tracked = byHash.get(usage.getKeyHash());
        if (tracked != null) {
            tracked.acknowledge(usage.getLastUsedAt().toEpochMilli());
        }
    }

    /** A key's last use and what of it was acknowledged. */
    private static final class Usage {
        private final String keyHash;
        private final String organizationId;
        private volatile long lastUsed;
        private volatile long published;

        Usage(String keyHash, String organizationId) {
            this.keyHash = keyHash;
            this.organizationId = organizationId;
        }

        void touch(long epochMillis) {
            // A racing older write can win by a few milliseconds; the next use corrects it and the
            // billing side never moves last_used_at backwards, so a CAS loop is not worth its cost.
            if (epochMillis > lastUsed) {
                lastUsed = epochMillis;
            }
        }

        synchronized void acknowledge(long epochMillis) {
            // Acknowledgements of several rounds may arrive out of order.
            if (epochMillis > published) {
                published = epochMillis;
            }
        }
    }
}
