package dev.tally.ingest.auth;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.avro.ApiKeyRecord;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Turns an {@code Authorization: Bearer <key>} header into the caller's {@link ApiKeyPrincipal},
 * from memory: the key is hashed and looked up in {@link ApiKeyCache}.
 *
 * <p>A key not in memory may have been created a moment ago: before answering 401 the lookup waits
 * (without blocking a thread) until the feed has read everything published before the request.
 */
@Singleton
public final class Authenticator {

    /** The scope that allows posting usage events. */
    public static final String USAGE_WRITE = "usage:write";

    private static final String BEARER = "Bearer ";

    private final ApiKeyCache cache;
    private final ApiKeyFeed feed;
    private final Clock clock;
    private final IngestSettings settings;

    @Inject
    public Authenticator(ApiKeyCache cache, ApiKeyFeed feed, IngestSettings settings) {
        this(cache, feed, Clock.systemUTC(), settings);
    }

    Authenticator(ApiKeyCache cache, ApiKeyFeed feed, Clock clock, IngestSettings settings) {
        this.cache = cache;
        this.feed = feed;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * The caller of a request with this Authorization header, allowed to write usage. Completes
     * exceptionally with an {@link IngestException} (401, or 503 while keys are still loading).
     */
    public CompletionStage<ApiKeyPrincipal> authenticate(String authorization) {
        String key = bearerKey(authorization);
        String hash = ApiKeys.hash(key);
        ApiKeyRecord record = cache.find(hash);
        if (record != null) {
            return CompletableFuture.completedFuture(check(key, record));
        }
        if (!feed.isReady()) {
            throw IngestException.retryable(
                    ErrorCode.NOT_READY, "the API keys are still loading", settings.retryAfter(), null);
        }
        return feed.catchUp()
                .orTimeout(settings.keyLookupTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((done, failure) -> {
                    ApiKeyRecord fresh = cache.find(hash);
                    if (fresh == null) {
                        throw new CompletionException(unknownKey());
                    }
                    return check(key, fresh);
                });
    }

    private static String bearerKey(String authorization) {
        if (authorization == null
                || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new IngestException(
                    ErrorCode.MISSING_API_KEY, "send your API key as 'Authorization: Bearer <key>'");
        }
        String key = authorization.substring(BEARER.length()).strip();
        if (!ApiKeys.isWellFormed(key)) {
            throw new IngestException(ErrorCode.INVALID_API_KEY, "the API key is malformed");
        }
        return key;
    }

    private ApiKeyPrincipal check(String key, ApiKeyRecord record) {
        Instant now = clock.instant();
        if (record.getRevokedAt() != null && !record.getRevokedAt().isAfter(now)) {
            throw new IngestException(ErrorCode.API_KEY_REVOKED, "the API key was revoked");
        }
        if (record.getExpiresAt() != null && !record.getExpiresAt().isAfter(now)) {
            throw new IngestException(ErrorCode.API_KEY_EXPIRED, "the API key has expired");
        }
        if (!record.getScopes().contains(USAGE_WRITE)) {
            throw new IngestException(
                    ErrorCode.INSUFFICIENT_SCOPE, "the API key lacks the " + USAGE_WRITE + " scope");
        }
        // The mode is in the key itself; a record that disagrees is not trusted.
        if (record.getLivemode() != ApiKeys.isLive(key)) {
            throw unknownKey();
        }
        return new ApiKeyPrincipal(
                record.getOrganizationId(), record.getLivemode(), record.getKeyHash(), record.getKeyPrefix());
    }

    private static IngestException unknownKey() {
        return new IngestException(ErrorCode.INVALID_API_KEY, "the API key is not valid");
    }
}
