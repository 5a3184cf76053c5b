package dev.tally.billing.invoice;

import java.util.Locale;

/**
 * What an invoice line bills.
 *
 * <ul>
 *   <li>{@code USAGE}: a subscribed price's usage in the invoice's period.
 *   <li>{@code ADJUSTMENT}: the difference restated windows make to an EARLIER, already invoiced
 *       period of one feature (one line per feature and earlier period, naming that period; may be
 *       negative after a retraction).
 *   <li>{@code CREDIT_CARRIED_FORWARD}: brings a total that would be negative back to zero; the
 *       amount is owed to the customer and applied to their next invoices.
 *   <li>{@code CREDIT_APPLIED}: credit carried forward from earlier invoices, taken off this one
 *       (never below a zero total).
 * </ul>
 */
public enum LineKind {
    USAGE,
    ADJUSTMENT,
    CREDIT_CARRIED_FORWARD,
    CREDIT_APPLIED;

    /** As stored and shown: {@code usage}, {@code adjustment}... */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind spelled {@code text}. */
    public static LineKind of(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
