package dev.tally.billing.account;

import dev.tally.billing.BillingException;
import java.util.Locale;

/**
 * A customer's billing state, as V31's {@code billing_state_at} decides it: {@code active} while no open invoice
 * is past due, {@code overdue} once one is, {@code suspended} once one is past due by more than its
 * organization's grace days. The database refuses any other state; this enum only names them for Java.
 */
public enum BillingState {
    ACTIVE,
    OVERDUE,
    SUSPENDED;

    /** The state spelled {@code value} ({@code active}, {@code overdue}, {@code suspended}); else a 400 naming {@code field}. */
    public static BillingState parse(String field, String value) {
        for (BillingState state : values()) {
            if (state.text().equals(value)) {
                return state;
            }
        }
        throw BillingException.invalid(field, field + " must be one of active, overdue, suspended");
    }

    /** The state as the API, the events and the database spell it: {@code active}, … */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
