package dev.tally.schemas.registry;

/** The registry could not be reached or answered with an error. */
public class SchemaRegistryException extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    /** The registry answered {@code httpStatus} with Confluent's {@code errorCode}. */
    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The registry could not be asked (no connection, timeout, interruption). */
    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = 0;
        this.errorCode = 0;
    }

    /** The HTTP status of the registry's answer, or 0 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code} (e.g. 40401 subject not found, 409 incompatible), or 0. */
    public int errorCode() {
        return errorCode;
    }
}
