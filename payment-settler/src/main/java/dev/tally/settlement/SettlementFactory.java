package dev.tally.settlement;

import dev.tally.settlement.watch.HorizonPayments;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.stellar.sdk.Server;

/**
 * The settler's external systems as beans built from its settings: Horizon (through the Stellar
 * SDK) and the clock. Tests and the launcher replace them by configuration or by bean replacement;
 * business classes never create their own.
 */
@Factory
class SettlementFactory {

    /** Qualifier of the settler's clock (other modules may have their own). */
    static final String CLOCK = "settlement";

    @Singleton
    @Bean(preDestroy = "close")
    HorizonPayments horizon(SettlementSettings settings) {
        return new HorizonPayments(new Server(settings.horizonUrl()));
    }

    @Singleton
    @Named(CLOCK)
    Clock clock() {
        return Clock.systemUTC();
    }
}
