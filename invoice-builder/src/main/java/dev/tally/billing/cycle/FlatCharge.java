package dev.tally.billing.cycle;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One flat-fee line a billing period implies: item {@code itemId} at {@code priceId} × {@code quantity}
 * for {@code span} of {@code period}, that is {@code fraction} of the price's flat amount per period.
 *
 * @param billableAt the earliest instant it may be invoiced: an in-advance fee when its span starts, a
 *     proration or cancellation credit at the change, an in-arrears fee when the billed part of the
 *     period ends
 */
public record FlatCharge(
        Kind kind,
        String itemId,
        String priceId,
        long quantity,
        BillingPeriod period,
        TimeSpan span,
        ProrationFraction fraction,
        Instant billableAt) {

    /** Why the line exists. */
    public enum Kind {
        /** The fee for the period ahead, from its start (or the trial's end, or the start) to its end. */
        IN_ADVANCE,
        /** After a change inside the period: the unused part of the old item, credited. */
        PRORATION_CREDIT,
        /** After a change inside the period: the remaining part at the new item, charged. */
        PRORATION_CHARGE,
        /** After a cancellation inside the period: the unused part of the in-advance fee, credited. */
        CANCELLATION_CREDIT,
        /** The fee for the part of the period the item was held, billed at its end. */
        IN_ARREARS;

        /** Whether the line takes money off. */
        public boolean isCredit() {
            return this == PRORATION_CREDIT || this == CANCELLATION_CREDIT;
        }
    }

    /** Whether less than the whole period is billed. */
    public boolean isProrated() {
        return !fraction.isWhole();
    }

    /**
     * The line's amount, exact and signed (negative for a credit): {@code flatAmount} (the price's fee per
     * period) × quantity × fraction. The line layer rounds it once to the currency's minor unit.
     */
    public ExactAmount amount(BigDecimal flatAmount) {
        ExactAmount amount = fraction.applyTo(flatAmount.multiply(BigDecimal.valueOf(quantity)));
        return kind.isCredit() ? amount.negate() : amount;
    }
}
