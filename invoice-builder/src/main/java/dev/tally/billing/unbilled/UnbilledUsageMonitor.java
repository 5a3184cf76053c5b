package dev.tally.billing.unbilled;

import dev.tally.billing.BillingDatabase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, every {@code tally.billing.unbilled-usage-check-interval} (default 10 minutes), the usage that
 * no invoice will bill, for the whole deployment: the gauges {@code tally.billing.unbilled.windows} and
 * {@code tally.billing.unbilled.organizations} (on {@code /prometheus}) and, while they are not zero, a WARN.
 * The usage itself stays in the ledger ({@code GET /v1/unbilled-usage}); counting it is how an SRE learns
 * that it exists. The count is a query over the ledger, hence a check on a schedule rather than at each scrape.
 */
@Singleton
public final class UnbilledUsageMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(UnbilledUsageMonitor.class);

    private final BillingDatabase database;
    private final AtomicReference<UnbilledTotals> last = new AtomicReference<>(new UnbilledTotals(0, 0));

    public UnbilledUsageMonitor(BillingDatabase database, MeterRegistry registry) {
        this.database = database;
        Gauge.builder("tally.billing.unbilled.windows", last, totals -> totals.get()
                        .windows())
                .description(
                        "Usage windows in the ledger that no invoice will bill (unknown customer or no subscription)")
                .register(registry);
        Gauge.builder("tally.billing.unbilled.organizations", last, totals -> totals.get()
                        .organizations())
                .description("Organizations with usage that no invoice will bill")
                .register(registry);
    }

    @Scheduled(fixedDelay = "${tally.billing.unbilled-usage-check-interval:10m}", initialDelay = "1m")
    void check() {
        record(database.jdbi()
                .withHandle(handle -> handle.attach(UnbilledUsageDao.class).totals()));
    }

    /** Shows {@code totals} on the gauges and warns when they are not zero. */
    void record(UnbilledTotals totals) {
        last.set(totals);
        message(totals).ifPresent(LOG::warn);
    }

    /** The warning for {@code totals}; empty when no window is unbilled. */
    static Optional<String> message(UnbilledTotals totals) {
        if (totals.windows() == 0) {
            return Optional.empty();
        }
        return Optional.of(totals.windows() + " window(s) of usage in " + totals.organizations()
                + " organization(s) will be billed by no invoice (unknown customer, or no subscription rating"
                + " the feature): they stay in the ledger; see GET /v1/unbilled-usage of each organization");
    }
}
