package dev.tally.billing.creditnote;

import dev.tally.billing.BillingException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What becomes of the part of a credit note the customer already paid (its post-payment part): {@code credit}
 * goes to the customer's credit balance, applied to its next invoices in the currency (a {@code credit_applied}
 * line); {@code refund} is a refund request on invoice-events ({@code REFUND_REQUESTED}) for settlement to pay
 * out. The part still due on the invoice only lowers what it asks for, whatever the outcome.
 */
public enum CreditNoteOutcome {
    CREDIT,
    REFUND;

    /** Every outcome's wire name, in order. */
    public static final List<String> NAMES =
            Arrays.stream(values()).map(CreditNoteOutcome::text).toList();

    /** The wire name: {@code credit}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome {@code value} names; absent is {@link #CREDIT} (as Stripe credits the balance); else a 400. */
    public static CreditNoteOutcome parse(String field, String value) {
        if (value == null) {
            return CREDIT;
        }
        return Arrays.stream(values())
                .filter(o -> o.text().equals(value))
                .findFirst()
                .orElseThrow(() -> BillingException.invalid(field, field + " must be one of " + NAMES));
    }
}
