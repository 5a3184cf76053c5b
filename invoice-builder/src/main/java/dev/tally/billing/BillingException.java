package dev.tally.billing;

import java.util.Optional;

/** The one exception type of invoice-builder: an {@link ErrorCode}, a message and, for input errors, the field. */
public final class BillingException extends RuntimeException {

    private final ErrorCode code;
    private final String field;
    private final String status;

    public BillingException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public BillingException(ErrorCode code, String message, String field) {
        this(code, message, field, null);
    }

    private BillingException(ErrorCode code, String message, String field, String status) {
        super(message);
        this.code = code;
        this.field = field;
        this.status = status;
    }

    /** A 409: the record is in {@code status}, from which the change asked for is not allowed. */
    public static BillingException stateConflict(ErrorCode code, String message, String status) {
        return new BillingException(code, message, null, status);
    }

    /** A 400 for {@code field}. */
    public static BillingException invalid(String field, String message) {
        return new BillingException(ErrorCode.INVALID_REQUEST, message, field);
    }

    /** A 404 for {@code what} (e.g. "invoice inv_1"). */
    public static BillingException notFound(String what) {
        return new BillingException(ErrorCode.NOT_FOUND, what + " not found");
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** The current status of the record a {@link #stateConflict} is about. */
    public Optional<String> status() {
        return Optional.ofNullable(status);
    }
}
