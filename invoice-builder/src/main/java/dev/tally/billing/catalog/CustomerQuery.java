package dev.tally.billing.catalog;

import java.time.Instant;

/**
 * The filters of a customer list: archived or active ones, and, when not null, one e-mail address
 * (compared case-insensitively), one external id, a creation time range (both bounds exclusive), one
 * billing state ({@code active}, {@code overdue}, {@code suspended}: V31).
 */
public record CustomerQuery(
        boolean archived,
        String email,
        String externalId,
        Instant createdAfter,
        Instant createdBefore,
        String billingState) {

    /** The filters without a billing state. */
    public CustomerQuery(
            boolean archived, String email, String externalId, Instant createdAfter, Instant createdBefore) {
        this(archived, email, externalId, createdAfter, createdBefore, null);
    }
}
