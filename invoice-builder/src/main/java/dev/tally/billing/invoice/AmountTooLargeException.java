package dev.tally.billing.invoice;

/**
 * A line's amount or an invoice's total does not fit the minor units ({@code long}, the
 * {@code bigint} columns): that invoice cannot be built. CloseRating and the planner check every conversion and sum
 * and throws this instead of wrapping around or failing with a bare {@link ArithmeticException}.
 */
public final class AmountTooLargeException extends RuntimeException {

    public AmountTooLargeException(String message) {
        super(message);
    }
}
