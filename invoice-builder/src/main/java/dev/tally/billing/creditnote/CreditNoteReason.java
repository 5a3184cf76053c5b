package dev.tally.billing.creditnote;

import dev.tally.billing.BillingException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Why a credit note was issued (Stripe's reasons, and {@code usage_corrected} for late usage); V29 checks them too. */
public enum CreditNoteReason {
    DUPLICATE,
    FRAUDULENT,
    ORDER_CHANGE,
    PRODUCT_UNSATISFACTORY,
    USAGE_CORRECTED;

    /** Every reason's wire name, in order. */
    public static final List<String> NAMES =
            Arrays.stream(values()).map(CreditNoteReason::text).toList();

    /** The wire name: {@code order_change}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason {@code value} names (required), or a 400 for {@code field}. */
    public static CreditNoteReason parse(String field, String value) {
        if (value == null) {
            throw BillingException.invalid(field, field + " is required: one of " + NAMES);
        }
        return Arrays.stream(values())
                .filter(r -> r.text().equals(value))
                .findFirst()
                .orElseThrow(() -> BillingException.invalid(field, field + " must be one of " + NAMES));
    }
}
