package dev.tally.metering.query;

/** Whom a request acts for: the organization and mode of its API key. */
public record Caller(String organizationId, boolean livemode) {}
