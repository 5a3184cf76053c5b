package dev.tally.billing.rating;

import java.util.Optional;

/**
 * When a price's period is invoiced ({@code billingTiming}): a flat fee at the start of the period
 * it pays for (the default for {@code flat}) or at its end; usage always at the end, once the
 * period's usage is known.
 */
public enum BillingTiming {
    IN_ADVANCE,
    IN_ARREARS;

    /** The JSON spelling: {@code in_advance}, {@code in_arrears}. */
    public String wireName() {
        return WireNames.of(this);
    }

    /** The timing spelled {@code text} exactly, if any. */
    public static Optional<BillingTiming> fromWireName(String text) {
        return WireNames.parse(BillingTiming.class, text);
    }
}
