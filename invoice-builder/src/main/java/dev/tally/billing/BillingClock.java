package dev.tally.billing;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The clock of the subscription API and the billing cycle: the system's, in UTC; tests replace it to place "now". */
@Factory
public final class BillingClock {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
