package dev.tally.metering.query;

/** The one exception base of metering-streams' API; {@link MeteringExceptionHandler} answers it. */
public final class MeteringException extends RuntimeException {

    private final MeteringErrorCode code;
    private final String field;

    public MeteringException(MeteringErrorCode code, String message) {
        this(code, message, null);
    }

    public MeteringException(MeteringErrorCode code, String message, String field) {
        super(message);
        this.code = code;
        this.field = field;
    }

    public MeteringErrorCode code() {
        return code;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}
