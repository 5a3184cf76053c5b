package dev.tally.billing.catalog;

import java.time.Instant;

/**
 * The filters of a customer list: archived or active ones, and, when not null, one e-mail address
 * (compared case-insensitively), one external id, a creation time range (both bounds exclusive).
 */
public record CustomerQuery(
        boolean archived, String email, String externalId, Instant createdAfter, Instant createdBefore) {}
