package dev.tally.billing.invoice;

import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What was paid on an invoice and what is still due, in the invoice currency's minor units. Payments are
 * Stellar amounts (7 decimals) of an asset taken 1:1 for the currency, as {@code PaymentRecorder} takes them.
 * The paid amount is rounded DOWN to the minor unit, so it never shows more than was received; the due
 * amount is the total less that, never below zero. So {@code dueMinor == 0} exactly when the payments cover
 * the total, the rule by which an invoice becomes paid.
 *
 * <p>Credit notes lower what is due: the amount credited on an invoice ({@code creditedMinor}, the sum of its
 * credit notes) counts as settled, as payments do, so an open invoice whose payments and credit notes cover its
 * total has nothing due (and becomes paid). The {@code creditedMinor}-less methods are those of an invoice
 * without credit notes.
 *
 * <p>{@link #of(Invoice, BigDecimal)} applies the invoice's status too: nothing is due on a paid, void or
 * uncollectible invoice, and an invoice paid out of band counts as paid in full.
 *
 * @param paidMinor what the payments amount to, rounded down to the minor unit
 * @param dueMinor what remains to pay
 */
public record InvoiceBalance(long paidMinor, long dueMinor) {

    /** The balance of an invoice of {@code totalMinor} in {@code currency} whose payments add up to {@code paid}. */
    public static InvoiceBalance of(long totalMinor, String currency, BigDecimal paid) {
        return of(totalMinor, currency, paid, 0);
    }

    /**
     * The balance of an invoice of {@code totalMinor} in {@code currency} whose payments add up to {@code paid}
     * and whose credit notes to {@code creditedMinor}.
     */
    public static InvoiceBalance of(long totalMinor, String currency, BigDecimal paid, long creditedMinor) {
        int digits = Currencies.minorDigits(currency);
        long paidMinor =
                paid.movePointRight(digits).setScale(0, RoundingMode.DOWN).longValueExact();
        return new InvoiceBalance(paidMinor, Math.max(0, totalMinor - creditedMinor - paidMinor));
    }

    /** The balance of {@code invoice} whose (Stellar) payments add up to {@code paid}, after its status. */
    public static InvoiceBalance of(Invoice invoice, BigDecimal paid) {
        return of(invoice, paid, 0);
    }

    /**
     * The balance of {@code invoice} whose (Stellar) payments add up to {@code paid} and credit notes to {@code
     * creditedMinor}, after its status.
     */
    public static InvoiceBalance of(Invoice invoice, BigDecimal paid, long creditedMinor) {
        InvoiceBalance received = of(invoice.totalMinor(), invoice.currency(), paid, creditedMinor);
        if (invoice.paidOutOfBand()) {
            return new InvoiceBalance(Math.max(received.paidMinor(), invoice.totalMinor() - creditedMinor), 0);
        }
        if (InvoiceStatus.DRAFT.is(invoice.status()) || InvoiceStatus.FINALIZED.is(invoice.status())) {
            return received;
        }
        return new InvoiceBalance(received.paidMinor(), 0);
    }

    /** The balance of {@code invoice} with {@code payments}, after its status. */
    public static InvoiceBalance of(Invoice invoice, List<Payment> payments) {
        return of(invoice, sum(payments));
    }

    /** The balance of {@code invoice} with {@code payments} and credit notes of {@code creditedMinor}, after its status. */
    public static InvoiceBalance of(Invoice invoice, List<Payment> payments, long creditedMinor) {
        return of(invoice, sum(payments), creditedMinor);
    }

    /**
     * What {@code payments} alone paid and leave due on {@code invoice}, whatever its status: whether they
     * cover an open or uncollectible invoice, which they then pay (an uncollectible one shows nothing due,
     * yet only a payment of the whole total pays it).
     */
    public static InvoiceBalance received(Invoice invoice, List<Payment> payments) {
        return received(invoice, payments, 0);
    }

    /** As {@link #received(Invoice, List)}, with credit notes of {@code creditedMinor} on the invoice. */
    public static InvoiceBalance received(Invoice invoice, List<Payment> payments, long creditedMinor) {
        return of(invoice.totalMinor(), invoice.currency(), sum(payments), creditedMinor);
    }

    private static BigDecimal sum(List<Payment> payments) {
        return payments.stream().map(Payment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Whether the payments (and credit notes) cover the total (an open invoice they pay becomes paid). */
    public boolean covered() {
        return dueMinor == 0;
    }
}
