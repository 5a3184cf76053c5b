package dev.tally.metering.query;

import dev.tally.metering.MeteringStreams;
import dev.tally.metering.topology.MeteringTopology;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.avro.ApiKeyRecord;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Instant;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Authenticates {@code Authorization: Bearer <key>} against the API keys every instance holds in
 * memory (the global store fed by the compacted api-keys topic): no database round trip, and a
 * revocation applies as soon as it is on the topic.
 */
@Singleton
@Requires(beans = MeteringStreams.class)
public final class ApiKeyAuthenticator {

    /** The scope a key needs to read usage. */
    public static final String USAGE_READ = "usage:read";

    private static final String BEARER = "Bearer ";

    private final MeteringStreams streams;

    public ApiKeyAuthenticator(MeteringStreams streams) {
        this.streams = streams;
    }

    /** The caller of a request with this Authorization header, needing {@code scope}. */
    public Caller authenticate(String authorization, String scope, Instant now) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            throw new MeteringException(
                    MeteringErrorCode.MISSING_API_KEY, "send your API key as Authorization: Bearer <key>");
        }
        String key = authorization.substring(BEARER.length()).trim();
        if (!ApiKeys.isWellFormed(key)) {
            throw new MeteringException(MeteringErrorCode.INVALID_API_KEY, "this is not an API key");
        }
        ApiKeyRecord record = keys().get(ApiKeys.hash(key));
        if (record == null) {
            throw new MeteringException(MeteringErrorCode.INVALID_API_KEY, "unknown API key");
        }
        if (record.getRevokedAt() != null) {
            throw new MeteringException(MeteringErrorCode.REVOKED_API_KEY, "this API key was revoked");
        }
        if (record.getExpiresAt() != null && !record.getExpiresAt().isAfter(now)) {
            throw new MeteringException(MeteringErrorCode.INVALID_API_KEY, "this API key has expired");
        }
        if (!record.getScopes().contains(scope)) {
            throw new MeteringException(MeteringErrorCode.INSUFFICIENT_SCOPE, "this API key lacks the scope " + scope);
        }
        return new Caller(record.getOrganizationId(), record.getLivemode());
    }

    private ReadOnlyKeyValueStore<String, ApiKeyRecord> keys() {
        try {
            return streams.streams()
                    .store(StoreQueryParameters.fromNameAndType(
                            MeteringTopology.API_KEYS_STORE,
                            QueryableStoreTypes.<String, ApiKeyRecord>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new MeteringException(MeteringErrorCode.USAGE_UNAVAILABLE, "API keys are still loading; retry");
        }
    }
}
