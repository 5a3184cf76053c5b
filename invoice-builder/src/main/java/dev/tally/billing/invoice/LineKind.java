package dev.tally.billing.invoice;

import java.util.Locale;

/**
 * What an invoice line bills.
 *
 * <ul>
 *   <li>{@code USAGE}: a price's usage in a period (the close's invoice period, or a subscription's usage
 *       span).
 *   <li>{@code ADJUSTMENT}: the difference a restatement or a late change makes to an EARLIER, already
 *       invoiced line: of the close, one line per feature and earlier period (naming that period); of a
 *       subscription, one per adjusted line key (naming its span). May be negative.
 *   <li>{@code FLAT_FEE}: a subscription item's flat fee for a span (in advance or in arrears).
 *   <li>{@code PRORATION_CREDIT} / {@code PRORATION_CHARGE}: a change inside a period credits the old
 *       item's unused time and charges the new one's rest of the period.
 *   <li>{@code CANCELLATION_CREDIT}: a cancellation inside a period credits the unused time.
 *   <li>{@code CREDIT_CARRIED_FORWARD}: brings a total that would be negative back to zero; the
 *       amount is owed to the customer and applied to their next invoices.
 *   <li>{@code CREDIT_APPLIED}: credit carried forward from earlier invoices, taken off this one
 *       (never below a zero total).
 *   <li>{@code ONE_OFF}: a line a person adds to a draft (a setup fee, a day of consulting): its own
 *       description, quantity and unit amount, no price and no span ({@link OneOffLine}).
 * </ul>
 */
public enum LineKind {
    USAGE,
    ADJUSTMENT,
    CREDIT_CARRIED_FORWARD,
    CREDIT_APPLIED,
    FLAT_FEE,
    PRORATION_CREDIT,
    PRORATION_CHARGE,
    CANCELLATION_CREDIT,
    ONE_OFF;

    /** As stored and shown: {@code usage}, {@code adjustment}... */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind spelled {@code text}. */
    public static LineKind of(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    /** Whether a line of this kind bills a period or span of usage or fees (every kind but the credits and one-offs). */
    public boolean billsASpan() {
        return this != CREDIT_CARRIED_FORWARD && this != CREDIT_APPLIED && this != ONE_OFF;
    }

    /** Whether a line of this kind is a customer's credit ({@link CustomerCredit}), recomputed as a draft changes. */
    public boolean isCredit() {
        return this == CREDIT_CARRIED_FORWARD || this == CREDIT_APPLIED;
    }
}
