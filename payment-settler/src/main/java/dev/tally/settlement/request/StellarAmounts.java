package dev.tally.settlement.request;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.rules.Currencies;
import dev.tally.settlement.ErrorCode;
import dev.tally.settlement.SettlementException;
import java.math.BigDecimal;

/**
 * Exact conversions to Stellar amounts: 7 decimal places, at most int64 stroops. Nothing is ever
 * rounded: an amount that does not fit is refused.
 */
public final class StellarAmounts {

    /** The largest Stellar amount: 2^63 - 1 stroops. */
    public static final BigDecimal MAX = new BigDecimal("922337203685.4775807");

    private StellarAmounts() {}

    /**
     * The Stellar amount of an invoice total in minor units of {@code currency}, the settlement asset
     * counting 1 unit per currency unit: 12345 USD cents are {@code 123.4500000}.
     *
     * @throws SettlementException if the total is not positive or exceeds {@link #MAX}
     */
    public static BigDecimal fromMinorUnits(long totalMinor, String currency) {
        try {
            return checked(Currencies.fromMinor(totalMinor, currency));
        } catch (Currencies.UnknownCurrencyException e) {
            throw refused(e.getMessage());
        }
    }

    /**
     * A decimal amount as Horizon renders it ({@code "12.5000000"}), at scale 7.
     *
     * @throws SettlementException if it is not a positive number with at most 7 decimals within {@link #MAX}
     */
    public static BigDecimal parse(String amount) {
        try {
            return checked(new BigDecimal(amount));
        } catch (NumberFormatException e) {
            throw refused("not a decimal amount: " + amount);
        }
    }

    private static BigDecimal checked(BigDecimal amount) {
        if (amount.signum() <= 0) {
            throw refused("amount must be positive: " + amount.toPlainString());
        }
        if (amount.compareTo(MAX) > 0) {
            throw refused("amount exceeds the largest Stellar amount: " + amount.toPlainString());
        }
        try {
            return Decimals.stellarAmount(amount);
        } catch (ArithmeticException e) {
            throw refused("amount has more than 7 decimal places: " + amount.toPlainString());
        }
    }

    private static SettlementException refused(String message) {
        return new SettlementException(ErrorCode.AMOUNT_NOT_REPRESENTABLE, message);
    }
}
