package dev.tally.billing.invoice;

import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What was paid on an invoice and what is still due, in the invoice currency's minor units. Payments are
 * Stellar amounts (7 decimals) of an asset taken 1:1 for the currency, as {@code PaymentRecorder} takes them.
 * The paid amount is rounded DOWN to the minor unit, so it never shows more than was received; the due
 * amount is the total less that, never below zero. So {@code dueMinor == 0} exactly when the payments cover
 * the total, the rule by which an invoice becomes paid.
 *
 * @param paidMinor what the payments amount to, rounded down to the minor unit
 * @param dueMinor what remains to pay
 */
public record InvoiceBalance(long paidMinor, long dueMinor) {

    /** The balance of an invoice of {@code totalMinor} in {@code currency} whose payments add up to {@code paid}. */
    public static InvoiceBalance of(long totalMinor, String currency, BigDecimal paid) {
        int digits = Currencies.minorDigits(currency);
        long paidMinor =
                paid.movePointRight(digits).setScale(0, RoundingMode.DOWN).longValueExact();
        return new InvoiceBalance(paidMinor, Math.max(0, totalMinor - paidMinor));
    }
}
