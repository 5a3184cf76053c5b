package dev.tally.billing;

import dev.tally.platform.database.Migrations;
import dev.tally.testkit.TestPostgres;
import java.math.BigDecimal;
import java.time.Instant;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/** A fresh, migrated {@code billing} database and rows to build scenarios on. */
public final class BillingFixtures {

    private final Jdbi jdbi;

    private BillingFixtures(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A new database of the shared test PostgreSQL with the billing migrations applied. */
    public static BillingFixtures migrated() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(dataSource, BillingSettings.SCHEMA);
        return new BillingFixtures(Jdbi.create(dataSource).installPlugin(new PostgresPlugin()));
    }

    /** Fixtures on an already migrated database. */
    public static BillingFixtures on(Jdbi jdbi) {
        return new BillingFixtures(jdbi);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Organization {@code org}, customer {@code cus} (external id {@code ext}), product and price of feature {@code f}. */
    public void catalog(String org, String cus, String ext, String feature, String price, BigDecimal unitAmount) {
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO billing.organizations (id, name) VALUES (?, 'Acme') ON CONFLICT DO NOTHING", org);
            h.execute(
                    "INSERT INTO billing.customers (id, organization_id, livemode, external_id)"
                            + " VALUES (?, ?, false, ?) ON CONFLICT DO NOTHING",
                    cus,
                    org,
                    ext);
            h.execute(
                    "INSERT INTO billing.products (id, organization_id, livemode, feature_key)"
                            + " VALUES (?, ?, false, ?)",
                    "prod_" + price,
                    org,
                    feature);
            h.execute(
                    "INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, unit_amount)"
                            + " VALUES (?, ?, false, ?, 'USD', ?)",
                    price,
                    org,
                    "prod_" + price,
                    unitAmount);
        });
    }

    /** Subscribes customer {@code cus} to {@code price}. */
    public void subscribe(String org, String cus, String price) {
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO billing.subscriptions"
                        + " (id, organization_id, livemode, customer_id, price_id, product_id) VALUES (?, ?, false, ?, ?, ?)",
                "sub_" + cus + price,
                org,
                cus,
                price,
                "prod_" + price));
    }

    /** A ledger row of {@code quantity} for the window starting at {@code windowStart} (one hour). */
    public void ledgerRow(
            String aggregateId, String org, String ext, String feature, Instant windowStart, String quantity) {
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO billing.usage_ledger (aggregate_id, organization_id, livemode,"
                        + " customer, feature, window_start, window_end, quantity, event_count, kind, source_topic,"
                        + " source_partition, source_offset) VALUES (?, ?, false, ?, ?, ?, ?, ?, 1, 'window', 't', 0, 0)",
                aggregateId,
                org,
                ext,
                feature,
                java.sql.Timestamp.from(windowStart),
                java.sql.Timestamp.from(windowStart.plusSeconds(3600)),
                new BigDecimal(quantity)));
    }
}
