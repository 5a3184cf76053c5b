package dev.tally.settlement;

/** The one exception base of payment-settler: every failure carries an {@link ErrorCode}. */
public class SettlementException extends RuntimeException {

    private final ErrorCode code;

    public SettlementException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public SettlementException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
