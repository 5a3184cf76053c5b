package dev.tally.ingest;

import java.time.Duration;

/**
 * The one exception of the ingest API: an {@link ErrorCode}, a message for humans, and optionally
 * the offending field and a Retry-After. Mapped to HTTP in one place.
 */
public class IngestException extends RuntimeException {

    private final ErrorCode code;
    private final String field;
    private final Duration retryAfter;

    public IngestException(ErrorCode code, String message) {
        this(code, message, null, null, null);
    }

    public IngestException(ErrorCode code, String message, String field) {
        this(code, message, field, null, null);
    }

    private IngestException(ErrorCode code, String message, String field, Duration retryAfter, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.field = field;
        this.retryAfter = retryAfter;
    }

    /** An error caused by {@code cause} that retrying as is will not fix. */
    public static IngestException causedBy(ErrorCode code, String message, Throwable cause) {
        return new IngestException(code, message, null, null, cause);
    }

    /** An error the client should retry after {@code retryAfter}. */
    public static IngestException retryable(ErrorCode code, String message, Duration retryAfter, Throwable cause) {
        return new IngestException(code, message, null, retryAfter, cause);
    }

    public ErrorCode code() {
        return code;
    }

    /** The offending field (e.g. {@code quantity}), or null. */
    public String field() {
        return field;
    }

    /** The advised delay before retrying, or null when retrying as is will not help. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
