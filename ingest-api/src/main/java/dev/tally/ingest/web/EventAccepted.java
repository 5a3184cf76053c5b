package dev.tally.ingest.web;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer to a single event: its id (the client's, or the one generated) and {@code accepted}
 * (or {@code duplicate}: an event with this id was already accepted and is not written again).
 */
@Serdeable
public record EventAccepted(String id, String status) {}
