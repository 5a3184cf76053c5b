package dev.tally.settlement;

import io.micronaut.runtime.Micronaut;

/** Runs payment-settler on its own, as its container image does; configured by {@code TALLY_*} environment variables. */
public final class PaymentSettlerApplication {

    private PaymentSettlerApplication() {}

    public static void main(String[] args) {
        Micronaut.run(PaymentSettlerApplication.class, args);
    }
}
