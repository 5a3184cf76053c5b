package dev.tally.billing.web;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.tenant.ApiKey;
import dev.tally.billing.tenant.TenantDao;
import dev.tally.platform.apikey.ApiKeys;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;

/**
 * Authenticates the finance API: the admin token for tenant administration, an organization's API
 * key (looked up by hash in PostgreSQL) with the needed scope for everything else.
 */
@Singleton
public final class Authenticator {

    private static final String BEARER = "Bearer ";

    private final BillingDatabase database;
    private final byte[] adminToken;
    private final Clock clock = Clock.systemUTC();

    public Authenticator(BillingDatabase database, BillingSettings settings) {
        this.database = database;
        this.adminToken = settings.adminToken().getBytes(StandardCharsets.UTF_8);
    }

    /** Passes only when {@code authorization} is {@code Bearer <admin token>}. */
    public void requireAdmin(String authorization) {
        byte[] presented = bearer(authorization).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, adminToken)) {
            throw new BillingException(ErrorCode.INVALID_ADMIN_TOKEN, "the admin token is not valid");
        }
    }

    /** The key of {@code authorization}, which must be valid and carry {@code scope}. */
    public ApiKeyPrincipal requireKey(String authorization, String scope) {
        String key = bearer(authorization);
        if (!ApiKeys.isWellFormed(key)) {
            throw new BillingException(ErrorCode.INVALID_API_KEY, "the API key is not valid");
        }
        ApiKey stored = database.jdbi()
                .withHandle(handle -> new TenantDao(handle).keyByHash(ApiKeys.hash(key)))
                .orElseThrow(() -> new BillingException(ErrorCode.INVALID_API_KEY, "the API key is not valid"));
        if (stored.revokedAt() != null) {
            throw new BillingException(ErrorCode.API_KEY_REVOKED, "the API key " + stored.keyPrefix() + " is revoked");
        }
        if (stored.expiresAt() != null && !stored.expiresAt().isAfter(clock.instant())) {
            throw new BillingException(ErrorCode.API_KEY_EXPIRED, "the API key " + stored.keyPrefix() + " has expired");
        }
        if (!stored.scopes().contains(scope)) {
            throw new BillingException(
                    ErrorCode.INSUFFICIENT_SCOPE, "the API key " + stored.keyPrefix() + " lacks the scope " + scope);
        }
        return new ApiKeyPrincipal(stored.id(), stored.organizationId(), stored.livemode(), stored.scopes());
    }

    private static String bearer(String authorization) {
        if (authorization == null
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.length() == BEARER.length()) {
            throw new BillingException(ErrorCode.MISSING_CREDENTIALS, "send the key as Authorization: Bearer <key>");
        }
        return authorization.substring(BEARER.length()).strip();
    }
}
