package dev.tally.metering.topology;

/**
 * Why an event that was read cannot be metered: a stable reason code (the part of the dead
 * letter's reason consumers match on) and details. Thrown before any state is written, so a
 * rejected event leaves no trace but its dead letter.
 */
final class Rejection extends RuntimeException {

    private final String code;

    Rejection(String code, String detail) {
        // no stack trace: a rejection is an answer, not a fault, and may be frequent
        super(detail, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
