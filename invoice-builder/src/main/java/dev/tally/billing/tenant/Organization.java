package dev.tally.billing.tenant;

import java.time.Instant;

/** A tenant: everything else belongs to one. */
public record Organization(String id, String name, Instant createdAt) {}
