package dev.tally.ingest.auth;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import dev.tally.ingest.state.StateFeed;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.avro.ApiKeyRecord;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Turns an {@code Authorization: Bearer <key>} header (or Basic with the key as user name, as
 * Stripe's clients send it) into the caller's {@link ApiKeyPrincipal},
 * from memory: the key is hashed and looked up in {@link ApiKeyCache}. A valid key's use is noted
 * in {@link KeyUsageTracker}, published in batches.
 *
 * <p>A key not in memory may have been created a moment ago: before answering 401 the lookup waits
 * (without blocking a thread) until the feed has read everything published before the request.
 */
@Singleton
public final class Authenticator {

    /** The scope that allows posting usage events. */
    public static final String USAGE_WRITE = "usage:write";

    private static final String BEARER = "Bearer ";
    private static final String BASIC = "Basic ";

    private final ApiKeyCache cache;
    private final StateFeed feed;
    private final KeyUsageTracker usage;
    private final Clock clock;
    private final IngestSettings settings;

    @Inject
    public Authenticator(ApiKeyCache cache, StateFeed feed, KeyUsageTracker usage, IngestSettings settings) {
        this(cache, feed, usage, Clock.systemUTC(), settings);
    }

    Authenticator(ApiKeyCache cache, StateFeed feed, KeyUsageTracker usage, Clock clock, IngestSettings settings) {
        this.cache = cache;
        this.feed = feed;
        this.usage = usage;
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
        String key;
        if (hasScheme(authorization, BEARER)) {
            key = authorization.substring(BEARER.length()).strip();
        } else if (hasScheme(authorization, BASIC)) {
            key = basicUser(authorization.substring(BASIC.length()).strip());
        } else {
            throw new IngestException(ErrorCode.MISSING_API_KEY, "send your API key as 'Authorization: Bearer <key>'");
        }
        if (!ApiKeys.isWellFormed(key)) {
            throw new IngestException(ErrorCode.INVALID_API_KEY, "the API key is malformed");
        }
        return key;
    }

    private static boolean hasScheme(String authorization, String scheme) {
        return authorization != null
                && authorization.length() > scheme.length()
                && authorization.regionMatches(true, 0, scheme, 0, scheme.length());
    }

    /** Stripe's clients may send the key as the user name of Basic auth ({@code curl -u key:}). */
    private static String basicUser(String credentials) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            throw new IngestException(ErrorCode.INVALID_API_KEY, "the Basic credentials are not base64");
        }
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
            throw new IngestException(ErrorCode.INSUFFICIENT_SCOPE, "the API key lacks the " + USAGE_WRITE + " scope");
        }
        // The mode is in the key itself; a record that disagrees is not trusted.
        if (record.getLivemode() != ApiKeys.isLive(key)) {
            throw unknownKey();
        }
        usage.used(record.getKeyHash(), record.getOrganizationId(), now.toEpochMilli());
        return new ApiKeyPrincipal(
                record.getOrganizationId(), record.getLivemode(), record.getKeyHash(), record.getKeyPrefix());
    }

    private static IngestException unknownKey() {
        return new IngestException(ErrorCode.INVALID_API_KEY, "the API key is not valid");
    }
}
