package dev.tally.billing;

import dev.tally.billing.ledger.LedgerDao;
import dev.tally.platform.database.Migrations;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.topic.Keys;
import dev.tally.testkit.TestPostgres;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
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
            // the cycle finalizes this organization's invoices as it writes them (V30's default leaves them drafts
            // for an hour): these fixtures are of issued invoices. Migration tests stop before V30: no column.
            boolean drafts = h.createQuery("SELECT count(*) > 0 FROM information_schema.columns"
                            + " WHERE table_schema = 'billing' AND table_name = 'organizations'"
                            + " AND column_name = 'auto_finalize_delay_seconds'")
                    .mapTo(Boolean.class)
                    .one();
            if (drafts) {
                h.execute("UPDATE billing.organizations SET auto_finalize_delay_seconds = 0 WHERE id = ?", org);
            }
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
                    "INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, unit_amount,"
                            + " model, definition) VALUES (?, ?, false, ?, 'USD', ?, 'per_unit', jsonb_build_object("
                            + "'currency', 'USD', 'model', 'per_unit', 'unitAmount', ?, 'interval', 'month',"
                            + " 'intervalCount', 1, 'billingTiming', 'in_arrears'))",
                    price,
                    org,
                    "prod_" + price,
                    unitAmount,
                    unitAmount.toPlainString());
        });
    }

    /**
     * Subscribes customer {@code cus} to {@code price} (a monthly subscription in the price's currency, from
     * now, with one item of quantity 1), as the API records it.
     */
    public void subscribe(String org, String cus, String price) {
        subscribe(org, cus, price, Instant.now().truncatedTo(ChronoUnit.SECONDS), null);
    }

    /**
     * Subscribes customer {@code cus} to {@code price} from {@code startAt} (a whole second) until {@code
     * cancelAt} (null: not cancelled), as {@link #subscribe(String, String, String)} does; the
     * subscription's id is {@code sub_<cus><price>}.
     */
    public void subscribe(String org, String cus, String price, Instant startAt, Instant cancelAt) {
        String subscription = "sub_" + cus + price;
        jdbi.useTransaction(h -> {
            h.execute(
                    "INSERT INTO billing.subscriptions (id, organization_id, livemode, customer_id, currency, interval,"
                            + " interval_count, start_at, cancel_at, canceled_at, time_zone)"
                            + " SELECT ?, ?, false, c.id, rtrim(p.currency), 'month', 1, ?, ?, ?, c.time_zone"
                            + " FROM billing.customers c, billing.prices p WHERE c.id = ? AND p.id = ?",
                    subscription,
                    org,
                    startAt,
                    cancelAt,
                    cancelAt,
                    cus,
                    price);
            h.execute(
                    "INSERT INTO billing.subscription_item_changes (subscription_id, item_id, at, price_id, quantity)"
                            + " SELECT id, ?, start_at, ?, 1 FROM billing.subscriptions WHERE id = ?",
                    "si_" + cus + price,
                    price,
                    subscription);
        });
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

    /**
     * A statement being built and recorded as the ledger consumer records it ({@link
     * LedgerDao#record}): SUM, revision 0, quantity 1, one event, one part unless told otherwise.
     */
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
        private List<String> added = List.of();
        private List<String> removed = List.of();
        private int part;
        private int parts = 1;

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

        /** UNIQUE_COUNT, a window's first statement: all its values added (the quantity becomes their number). */
        public Statement distinct(String... values) {
            this.added = List.of(values);
            this.quantity = Integer.toString(values.length);
            return this;
        }

        /** UNIQUE_COUNT: the values this revision adds to the previous one. */
        public Statement added(String... values) {
            this.added = List.of(values);
            return this;
        }

        /** UNIQUE_COUNT: the values of the previous revision this one no longer holds. */
        public Statement removed(String... values) {
            this.removed = List.of(values);
            return this;
        }

        /** This record is part {@code part} (from 0) of {@code parts} of its statement. */
        public Statement part(int part, int parts) {
            this.part = part;
            this.parts = parts;
            return this;
        }

        /**
         * Records the statement's part; returns its aggregate id (the window key, + "#revision" after
         * the first, + "/part" for parts after the first).
         */
        public String insert() {
            String key = Keys.window(org, false, ext, feature, windowStart.toEpochMilli());
            String statementId = aggregateId != null ? aggregateId : revision == 0 ? key : key + "#" + revision;
            String id = part == 0 ? statementId : statementId + "/" + part;
            UsageAggregate aggregate = UsageAggregate.newBuilder()
                    .setOrganizationId(org)
                    .setCustomerId(ext)
                    .setFeature(feature)
                    .setLivemode(false)
                    .setWindowStart(windowStart)
                    .setWindowEnd(windowStart.plusSeconds(3600))
                    .setQuantity(new BigDecimal(quantity))
                    .setEventCount(events)
                    .setClosed(true)
                    .setKind(revision == 0 ? AggregateKind.WINDOW : AggregateKind.CORRECTION)
                    .setAggregateId(id)
                    .setAggregation(Aggregation.valueOf(aggregation.toUpperCase(Locale.ROOT)))
                    .setRevision(revision)
                    .setLatestAt(latestAt)
                    .setValuesAdded(added)
                    .setValuesRemoved(removed)
                    .setPart(part)
                    .setParts(parts)
                    .build();
            jdbi.useTransaction(h -> new LedgerDao(h).record(aggregate, "t", 0, 0));
            return id;
        }
    }
}
