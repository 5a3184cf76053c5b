package dev.tally.billing.unbilled;

import dev.tally.billing.BillingDatabase;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns, once per {@code tally.billing.unbilled-usage-warning-interval} (default an hour), when the
 * ledger holds usage that no invoice will bill: invoice-builder has no metrics registry, so the log
 * is where an SRE sees it. The usage itself stays in the ledger ({@code GET /v1/unbilled-usage}).
 */
@Singleton
public final class UnbilledUsageWarning {

    private static final Logger LOG = LoggerFactory.getLogger(UnbilledUsageWarning.class);

    private final BillingDatabase database;

    public UnbilledUsageWarning(BillingDatabase database) {
        this.database = database;
    }

    @Scheduled(fixedRate = "${tally.billing.unbilled-usage-warning-interval:1h}", initialDelay = "5m")
    void warnIfAny() {
        UnbilledTotals totals = database.jdbi()
                .withHandle(handle -> handle.attach(UnbilledUsageDao.class).totals());
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
