package dev.tally.billing;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The billing clock of API tests that place time themselves: a test class registers its clock under a name
 * ({@link #place}, in a static initializer, so before its server starts) and names it in its server's properties
 * ({@link #PROPERTY}); that server's billing clock is then the test's, in that test's context only.
 */
@Factory
@Requires(property = PlacedClocks.PROPERTY)
public final class PlacedClocks {

    /** The property naming the placed clock of a test's server. */
    public static final String PROPERTY = "tally.test.placed-clock";

    private static final Map<String, MutableClock> CLOCKS = new ConcurrentHashMap<>();

    /** Registers {@code clock} as the placed clock named {@code name}; returns it. */
    public static MutableClock place(String name, MutableClock clock) {
        CLOCKS.put(name, clock);
        return clock;
    }

    @Singleton
    @Named(BillingClock.NAME)
    @Replaces(value = Clock.class, named = BillingClock.NAME)
    Clock clock(@Value("${" + PROPERTY + "}") String name) {
        MutableClock clock = CLOCKS.get(name);
        if (clock == null) {
            throw new IllegalStateException("no clock was placed as " + name);
        }
        return clock;
    }
}
