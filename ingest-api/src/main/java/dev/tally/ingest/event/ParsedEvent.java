package dev.tally.ingest.event;

/** The outcome of reading one event of a request: valid, or rejected with the reason. */
public sealed interface ParsedEvent {

    /** The event's id as the client sent it (null when absent or unreadable). */
    String clientId();

    /** An event that passed every check. */
    record Valid(EventInput event) implements ParsedEvent {
        @Override
        public String clientId() {
            return event.id();
        }
    }

    /** An event that failed a check; the request goes on with the next one. */
    record Rejected(String clientId, Violation violation) implements ParsedEvent {}
}
