package dev.tally.billing;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The clock of the subscription API and the billing cycle: the system's, in UTC; tests replace it to place
 * "now". Named, because the launcher runs every service on one class path and the settler has a clock bean too.
 */
@Factory
public final class BillingClock {

    /** The qualifier every billing class injects its clock by. */
    public static final String NAME = "billing";

    @Singleton
    @Named(NAME)
    Clock clock() {
        return Clock.systemUTC();
    }
}
