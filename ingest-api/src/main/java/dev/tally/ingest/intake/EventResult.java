package dev.tally.ingest.intake;

import dev.tally.ingest.event.Violation;

/**
 * What became of one event of a request.
 *
 * @param index the event's position in the request, from 0
 * @param id the event's id (the client's, or the one generated), null when unreadable
 * @param status accepted, duplicate or rejected
 * @param violation why it was rejected; null otherwise
 */
public record EventResult(int index, String id, Status status, Violation violation) {

    /** The outcome of one event. */
    public enum Status {
        /** Durably written (the broker acknowledged it). */
        ACCEPTED,
        /** An event with this id was already accepted; not written again. */
        DUPLICATE,
        /** Not written, for the reason in {@link EventResult#violation()}. */
        REJECTED;

        /** As it appears in JSON. */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
