package dev.tally.billing.tenant;

import dev.tally.schemas.avro.ApiKeyRecord;
import java.time.Instant;
import java.util.List;

/**
 * A stored API key: its hash and visible prefix, never the key. {@code lastUsedAt} is when ingest
 * last saw it (reported in batches; null if never).
 */
public record ApiKey(
        String id,
        String organizationId,
        String keyHash,
        String keyPrefix,
        boolean livemode,
        List<String> scopes,
        Instant expiresAt,
        Instant revokedAt,
        Instant createdAt,
        Instant lastUsedAt) {

    /** The record published to the compacted api-keys topic. */
    public ApiKeyRecord toRecord(Instant now) {
        return ApiKeyRecord.newBuilder()
                .setKeyHash(keyHash)
                .setKeyPrefix(keyPrefix)
                .setOrganizationId(organizationId)
                .setLivemode(livemode)
                .setScopes(scopes)
                .setExpiresAt(expiresAt)
                .setRevokedAt(revokedAt)
                .setUpdatedAt(now)
                .build();
    }
}
