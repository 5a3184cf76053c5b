package dev.tally.billing.creditnote;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * How much of a lowering of an invoiced period a {@code usage_corrected} credit note takes (pure), when the
 * organization credits late usage ({@code lateUsageCreditNotes}). The lowering is what the negative adjustment line
 * would have been: the period's rating now less what was billed for it, rounded as that line would be, and the
 * quantity it went down by. The note credits it against the invoice line that billed the period:
 *
 * <ul>
 *   <li>by line and quantity when the line has a unit price (a {@code per_unit} price's line of a positive quantity
 *       and amount): the lowered quantity, at most the line's quantity not yet credited, for the lowered amount, at
 *       most the line's amount not yet credited (V29 refuses more);
 *   <li>by amount otherwise (tiers, packages, minimums: no unit price names what a quantity is worth), naming the
 *       line it corrects (V32) and the whole lowered quantity;
 *   <li>in both, at most what the invoice can still be credited (V29's check).
 * </ul>
 *
 * What is left over (the amount beyond the caps, the quantity beyond the line's) stays a negative adjustment line on
 * the next invoice, so the period's lines and notes always add up to its rating now.
 */
public final class LateUsageCredit {

    private LateUsageCredit() {}

    /** How far a period's usage went down: its quantity (0 or more) and its amount (above 0), in minor units. */
    public record Lowering(BigDecimal quantity, long amountMinor) {

        public Lowering {
            Objects.requireNonNull(quantity, "quantity");
            if (quantity.signum() < 0 || amountMinor <= 0) {
                throw new IllegalArgumentException("a lowering is of a quantity >= 0 and an amount > 0");
            }
        }

        /** What is left of this lowering once {@code credit} took its part. */
        public Lowering less(Credit credit) {
            return new Lowering(quantity.subtract(credit.quantity()), amountMinor - credit.amountMinor());
        }
    }

    /**
     * The line that billed the period: its unit price (null: none), quantity and amount, what credit notes already
     * credited of it, and what its invoice can still be credited.
     */
    public record Line(
            BigDecimal unitAmount,
            BigDecimal quantity,
            long amountMinor,
            BigDecimal quantityCredited,
            long amountCreditedMinor,
            long invoiceCreditableMinor) {}

    /** What the note credits: a quantity of the period and an amount; {@code byLine} when it credits the line itself. */
    public record Credit(BigDecimal quantity, long amountMinor, boolean byLine) {}

    /** The credit {@code lowering} takes against {@code line}; empty when nothing can be credited. */
    public static Optional<Credit> of(Lowering lowering, Line line) {
        long amount = Math.min(lowering.amountMinor(), line.invoiceCreditableMinor());
        if (line.unitAmount() != null && line.quantity().signum() > 0 && line.amountMinor() > 0) {
            BigDecimal quantityLeft = line.quantity().subtract(line.quantityCredited());
            long amountLeft = line.amountMinor() - line.amountCreditedMinor();
            BigDecimal quantity = lowering.quantity().min(quantityLeft);
            if (quantity.signum() > 0 && amountLeft > 0) {
                return positive(new Credit(quantity, Math.min(amount, amountLeft), true));
            }
        }
        return positive(new Credit(lowering.quantity(), amount, false));
    }

    private static Optional<Credit> positive(Credit credit) {
        return credit.amountMinor() > 0 ? Optional.of(credit) : Optional.empty();
    }
}
