package dev.tally.ingest.auth;

/**
 * Who is calling: the organization and mode of a valid API key. Events are written for this
 * organization only, whatever the body says.
 *
 * @param organizationId the key's organization
 * @param livemode whether it is a live-mode key (test-mode events never mix with live ones)
 * @param keyHash the key's hash, which identifies it (for rate limits) without revealing it
 * @param keyPrefix the key's visible prefix, for logs
 */
public record ApiKeyPrincipal(String organizationId, boolean livemode, String keyHash, String keyPrefix) {}
