package dev.tally.ingest.auth;

import dev.tally.schemas.avro.ApiKeyRecord;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest state of every API key, by key hash, as read from the compacted api-keys topic:
 * authentication never needs a database round trip.
 */
@Singleton
public final class ApiKeyCache {

    private final Map<String, ApiKeyRecord> byHash = new ConcurrentHashMap<>();

    /** The key with hash {@code keyHash}, or null if none is known. */
    public ApiKeyRecord find(String keyHash) {
        return byHash.get(keyHash);
    }

    /** Records the latest state of a key; a null record (a tombstone) forgets it. */
    public void apply(String keyHash, ApiKeyRecord record) {
        if (record == null) {
            byHash.remove(keyHash);
        } else {
            byHash.put(keyHash, record);
        }
    }

    /** How many keys are known. */
    public int size() {
        return byHash.size();
    }
}
