package dev.tally.ingest.web;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer to a single event: its id (the client's, or the one generated) and {@code accepted}.
 */
@Serdeable
public record EventAccepted(String id, String status) {

    static EventAccepted of(String id) {
        return new EventAccepted(id, "accepted");
    }
}
