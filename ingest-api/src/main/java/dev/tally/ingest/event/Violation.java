package dev.tally.ingest.event;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;

/**
 * Why one event was rejected: a stable code, a message, and the field at fault (null when the
 * event as a whole is at fault).
 */
public record Violation(ErrorCode code, String message, String field) {

    /** The violation an exception of a field check describes. */
    public static Violation of(IngestException e) {
        return new Violation(e.code(), e.getMessage(), e.field());
    }

    /** This violation as the exception answered for a single-event request. */
    public IngestException toException() {
        return new IngestException(code, message, field);
    }
}
