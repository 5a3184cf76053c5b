package dev.tally.billing.draft;

import dev.tally.billing.invoice.AmountTooLargeException;
import dev.tally.billing.invoice.CustomerCredit;
import dev.tally.billing.invoice.InvoiceLine;
import java.util.List;
import java.util.Optional;

/**
 * What a draft's total and credit line become after an edit: its lines other than the credit add up to a
 * subtotal, and {@link CustomerCredit}'s rule (the one every invoice follows) gives its credit line against the
 * customer's balance as it stands without this draft's own credit line. Pure.
 */
public final class DraftEditing {

    private DraftEditing() {}

    /** A draft's credit line (empty: none) and its total, the sum of its lines with that credit. */
    public record Recomputed(Optional<CustomerCredit.Credit> credit, long totalMinor) {}

    /**
     * The credit and total of a draft whose lines are {@code lines} (its current credit line among them, if
     * any), for a customer whose credit balance in the draft's currency is {@code balanceMinor}, counting every
     * invoice's credit lines, this draft's too.
     *
     * @throws AmountTooLargeException if the lines' sum does not fit a {@code long}
     */
    public static Recomputed recompute(List<InvoiceLine> lines, long balanceMinor) {
        long subtotal = 0;
        long ownCredit = 0;
        for (InvoiceLine line : lines) {
            if (line.kind().isCredit()) {
                ownCredit += line.amountMinor();
            } else {
                subtotal = add(subtotal, line.amountMinor());
            }
        }
        Optional<CustomerCredit.Credit> credit = CustomerCredit.of(subtotal, balanceMinor - ownCredit);
        long total =
                add(subtotal, credit.map(CustomerCredit.Credit::amountMinor).orElse(0L));
        return new Recomputed(credit, total);
    }

    private static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new AmountTooLargeException("the invoice total exceeds " + Long.MAX_VALUE + " minor units");
        }
    }
}
