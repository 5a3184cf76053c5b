package dev.tally.billing;

import dev.tally.billing.ledger.WindowValuesDao;
import dev.tally.platform.database.Migrations;
import dev.tally.schemas.topic.Keys;
import dev.tally.testkit.TestPostgres;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

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
        return new BillingFixtures(
                Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin()));
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

    /** A ledger row of {@code quantity} (SUM, revision 0) for the window starting at {@code windowStart} (one hour). */
    public void ledgerRow(
            String aggregateId, String org, String ext, String feature, Instant windowStart, String quantity) {
        statement(org, ext, feature, windowStart)
                .aggregateId(aggregateId)
                .quantity(quantity)
                .insert();
    }

    /** A statement of customer {@code ext}'s one-hour window of {@code feature} at {@code windowStart}, to refine and insert. */
    public Statement statement(String org, String ext, String feature, Instant windowStart) {
        return new Statement(org, ext, feature, windowStart);
    }

    /** A ledger row being built: SUM, revision 0, quantity 1, one event unless told otherwise. */
    public final class Statement {
        private final String org;
        private final String ext;
        private final String feature;
        private final Instant windowStart;
        private String aggregateId;
        private String aggregation = "sum";
        private long revision;
        private String quantity = "1";
        private long events = 1;
        private Instant latestAt;
        private List<String> distinctValues = List.of();

        private Statement(String org, String ext, String feature, Instant windowStart) {
            this.org = org;
            this.ext = ext;
            this.feature = feature;
            this.windowStart = windowStart;
        }

        public Statement aggregateId(String id) {
            this.aggregateId = id;
            return this;
        }

        public Statement aggregation(String aggregation) {
            this.aggregation = aggregation;
            return this;
        }

        public Statement revision(long revision) {
            this.revision = revision;
            return this;
        }

        public Statement quantity(String quantity) {
            this.quantity = quantity;
            return this;
        }

        public Statement events(long events) {
            this.events = events;
            return this;
        }

        public Statement latestAt(Instant latestAt) {
            this.latestAt = latestAt;
            return this;
        }

        /** UNIQUE_COUNT: the window's distinct values (the quantity becomes their number). */
        public Statement distinct(String... values) {
            this.distinctValues = List.of(values);
            this.quantity = Integer.toString(values.length);
            return this;
        }

        /**
         * Inserts the row (and a UNIQUE_COUNT statement's values); returns its aggregate id (the window
         * key, + "#revision" after the first).
         */
        public String insert() {
            String key = Keys.window(org, false, ext, feature, windowStart.toEpochMilli());
            String id = aggregateId != null ? aggregateId : revision == 0 ? key : key + "#" + revision;
            jdbi.useTransaction(h -> {
                h.createUpdate("INSERT INTO billing.usage_ledger (aggregate_id, window_key,"
                                + " organization_id, livemode, customer, feature, window_start, window_end, quantity,"
                                + " event_count, kind, aggregation, revision, latest_at, source_topic, source_partition,"
                                + " source_offset) VALUES (:id, :key, :org, false, :ext, :feature, :start, :end,"
                                + " :quantity, :events, :kind, :aggregation, :revision, :latestAt, 't', 0, 0)")
                        .bind("id", id)
                        .bind("key", key)
                        .bind("org", org)
                        .bind("ext", ext)
                        .bind("feature", feature)
                        .bind("start", windowStart)
                        .bind("end", windowStart.plusSeconds(3600))
                        .bind("quantity", new BigDecimal(quantity))
                        .bind("events", events)
                        .bind("kind", revision == 0 ? "window" : "correction")
                        .bind("aggregation", aggregation)
                        .bind("revision", revision)
                        .bind("latestAt", latestAt)
                        .execute();
                if ("unique_count".equals(aggregation)) {
                    // as the ledger consumer does: the values go to the window, once
                    new WindowValuesDao(h).restate(org, false, key, id, revision, distinctValues);
                }
            });
            return id;
        }
    }
}
