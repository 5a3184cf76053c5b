package dev.tally.billing;

import io.micronaut.runtime.Micronaut;

/** Runs invoice-builder on its own, as its container image does; configured by {@code TALLY_*} environment variables. */
public final class InvoiceBuilderApplication {

    private InvoiceBuilderApplication() {}

    public static void main(String[] args) {
        Micronaut.run(InvoiceBuilderApplication.class, args);
    }
}
