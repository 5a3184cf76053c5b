package dev.tally.billing.unbilled;

import java.util.Locale;

/** Why no invoice will bill a window of usage. */
public enum UnbilledReason {
    /**
     * The customer is known, but at the window's start none of its subscriptions had an item whose
     * price's product rates the window's feature.
     */
    NO_SUBSCRIPTION,
    /** No customer of the organization and mode has the external id the usage events named. */
    UNKNOWN_CUSTOMER;

    /** The JSON spelling: {@code no_subscription}, {@code unknown_customer}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
