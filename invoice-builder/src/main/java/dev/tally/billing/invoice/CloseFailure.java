package dev.tally.billing.invoice;

/**
 * A customer whose invoice a period close could not build, with why: {@code code} is a stable
 * snake_case reason ({@link CloseFailure#AMOUNT_TOO_LARGE}, {@link CloseFailure#QUANTITY_TOO_LARGE},
 * {@link CloseFailure#USAGE_INCOMPLETE}).
 */
public record CloseFailure(String customerExternalId, String code, String message) {

    /** A line's amount or the invoice's total does not fit the minor units ({@code bigint}). */
    public static final String AMOUNT_TOO_LARGE = "amount_too_large";

    /** A line's quantity does not fit its column ({@code numeric(38, 9)}). */
    public static final String QUANTITY_TOO_LARGE = "quantity_too_large";

    /**
     * A UNIQUE_COUNT window's values cannot be counted exactly yet: a revision it is built from, or
     * a part of one, has not arrived (the message names the window and the missing statement). The
     * next close of the period retries once it has.
     */
    public static final String USAGE_INCOMPLETE = "usage_incomplete";
}
