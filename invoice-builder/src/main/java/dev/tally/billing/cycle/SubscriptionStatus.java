package dev.tally.billing.cycle;

import java.util.Locale;

/** A subscription's status, as in the API. */
public enum SubscriptionStatus {
    /** Before the trial ends: no fees and no usage billed. */
    TRIALING,
    /** Billed every period. */
    ACTIVE,
    /**
     * Active, with an invoice unpaid past its due date. It comes from invoices, not from the subscription's
     * facts: {@link SubscriptionTimeline#statusAt} never answers it; the subscription API turns
     * {@link #ACTIVE} into it when the customer has an overdue invoice.
     */
    PAST_DUE,
    /** From the cancellation's effective instant on. */
    CANCELED;

    /** The JSON name: {@code trialing}, {@code active}, {@code past_due} or {@code canceled}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
