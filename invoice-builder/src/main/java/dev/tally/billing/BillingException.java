package dev.tally.billing;

import java.util.Optional;

/** The one exception type of invoice-builder: an {@link ErrorCode}, a message and, for input errors, the field. */
public final class BillingException extends RuntimeException {

    private final ErrorCode code;
    private final String field;

    public BillingException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public BillingException(ErrorCode code, String message, String field) {
        super(message);
        this.code = code;
        this.field = field;
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
}
