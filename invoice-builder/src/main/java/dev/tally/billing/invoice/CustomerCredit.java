package dev.tally.billing.invoice;

import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The one rule of a customer's credit, for every invoice (the period close's and the billing cycle's): if an
 * invoice's lines add up below zero, a credit carried forward brings its total to zero (no invoice ever asks
 * for a negative amount); if they add up above zero, credit carried forward from earlier invoices is applied,
 * at most down to zero. Pure.
 */
public final class CustomerCredit {

    private CustomerCredit() {}

    /** A credit line's kind and amount (positive when carried forward, negative when applied). */
    public record Credit(LineKind kind, long amountMinor) {

        /** The credit as line {@code id} of invoice {@code invoiceId}: no price, quantity 1 at its amount. */
        public InvoiceLine line(String id, String invoiceId, String currency) {
            return new InvoiceLine(
                    id,
                    invoiceId,
                    kind,
                    null,
                    null,
                    BigDecimal.ONE,
                    Currencies.fromMinor(amountMinor, currency),
                    amountMinor,
                    null,
                    null);
        }
    }

    /**
     * The credit line an invoice whose other lines add up to {@code subtotalMinor} takes, for a customer with
     * {@code balanceMinor} of credit not yet applied (in the invoice's currency); empty when none.
     */
    public static Optional<Credit> of(long subtotalMinor, long balanceMinor) {
        if (subtotalMinor < 0) {
            return Optional.of(new Credit(LineKind.CREDIT_CARRIED_FORWARD, -subtotalMinor));
        }
        if (subtotalMinor > 0 && balanceMinor > 0) {
            return Optional.of(new Credit(LineKind.CREDIT_APPLIED, -Math.min(subtotalMinor, balanceMinor)));
        }
        return Optional.empty();
    }
}
