package dev.tally.billing.invoice;

import dev.tally.billing.cycle.ExactAmount;
import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one rule of a one-off line's amount ({@link LineKind#ONE_OFF}): its quantity × its unit amount, exact,
 * rounded once to the currency's minor unit HALF_EVEN, as every line amount is rounded where it is written
 * ({@link ExactAmount#round}, {@link Currencies#toMinor}). The draft editor writes it with this and the
 * verifier reproduces it with this. Pure.
 */
public final class OneOffLine {

    private OneOffLine() {}

    /**
     * The amount in minor units of {@code quantity} × {@code unitAmount} in {@code currency}.
     *
     * @throws Currencies.MinorUnitsOverflowException if it does not fit the minor units
     */
    public static long amountMinor(BigDecimal quantity, BigDecimal unitAmount, String currency) {
        ExactAmount exact = new ExactAmount(quantity.multiply(unitAmount), 1);
        return Currencies.toMinor(exact.round(Currencies.minorDigits(currency), RoundingMode.HALF_EVEN), currency);
    }

    /** One-off line {@code id} of draft {@code invoiceId}: {@code description}, {@code quantity} × {@code unitAmount}. */
    public static InvoiceLine of(
            String id,
            String invoiceId,
            String description,
            BigDecimal quantity,
            BigDecimal unitAmount,
            String currency) {
        return new InvoiceLine(
                id,
                invoiceId,
                LineKind.ONE_OFF,
                null,
                null,
                quantity,
                unitAmount,
                amountMinor(quantity, unitAmount, currency),
                null,
                null,
                null,
                description,
                null);
    }
}
