package dev.tally.billing.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.invoicing.BillingCycleSettings;
import dev.tally.billing.invoicing.BillingCycleWorker;
import dev.tally.billing.invoicing.CycleWorkers;
import dev.tally.billing.invoicing.SubscriptionInvoicing;
import dev.tally.platform.database.Migrations;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.kafka.KafkaSettings;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.SchemaRegistryServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.serde.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The billing cycle closing one period for N subscriptions through the production path ({@link
 * BillingCycleWorker#drain()}: claim, plan, write, round after round, on as many threads as the worker runs),
 * against an anchor measured in the same run: a bare JDBC batch inserting as many invoices and lines into
 * copies of the invoice tables, with no logic. A program, not a test: run it on a quiet machine.
 *
 * <p>Set-up (untimed, in SQL over {@code generate_series}): one organization, N customers each with one
 * monthly subscription from 2026-01-01 with a flat 49.00 fee in advance and three usage prices (graduated
 * {@code api_call}, volume {@code storage_gb}, package {@code export}), and for each feature one closed window
 * of January in the ledger as the ledger consumer records it (a {@code usage_ledger} row and its statement
 * part). Usage is final through February's first hour, so the cycle bills January's usage and the in-advance
 * fees of January and February, on one invoice per subscription. Afterwards every subscription is checked to
 * have exactly one invoice, of the lines and total computed here independently of the rater.
 *
 * <p>Arguments: {@code subscriptions runs threads} (defaults {@code 100000 1 2}, the worker's default threads).
 * {@code -Dbench.statements=true} prints the time spent in each kind of statement ({@link StatementTimes}).
 */
public final class BillingCycleBenchmark {

    private static final String ORG = "org_bench";
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant WINDOW = Instant.parse("2026-01-15T10:00:00Z");
    /** Usage is final through here: January is closed, February has begun. */
    private static final Instant FINAL_THROUGH = Instant.parse("2026-02-01T01:00:00Z");

    private static final Duration MARGIN = Duration.ofMinutes(1);
    /** January's and February's fees, billed in advance. */
    private static final int FLAT_PERIODS = 2;

    private static final int LINES_PER_INVOICE = FLAT_PERIODS + 3;
    private static final BigDecimal FEE = new BigDecimal("49.00");

    private BillingCycleBenchmark() {}

    public static void main(String[] args) throws Exception {
        int subscriptions = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        System.out.printf(
                "subscriptions=%d runs=%d threads=%d cores=%d maxHeap=%d MB%n",
                subscriptions,
                runs,
                threads,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        List<Double> seconds = new ArrayList<>();
        List<Double> anchors = new ArrayList<>();
        try (TestPostgres postgres = TestPostgres.start()) {
            for (int run = 0; run < runs; run++) {
                Result result = run(postgres, subscriptions, threads);
                seconds.add(result.seconds());
                anchors.add(result.anchorSeconds());
                System.out.printf(
                        "run=%d total=%.1f s subscriptions/s=%.0f invoices/s=%.0f lines/s=%.0f peakHeap=%d MB"
                                + " anchor=%.1f s (%.0f invoices/s) ratio=%.3f load=%.2f->%.2f%n",
                        run,
                        result.seconds(),
                        subscriptions / result.seconds(),
                        result.invoices() / result.seconds(),
                        result.lines() / result.seconds(),
                        result.peakHeapBytes() >> 20,
                        result.anchorSeconds(),
                        result.invoices() / result.anchorSeconds(),
                        result.anchorSeconds() / result.seconds(),
                        result.loadBefore(),
                        result.loadAfter());
            }
        }
        double median = BenchFigures.median(seconds);
        double anchor = BenchFigures.median(anchors);
        System.out.printf(
                "MEDIAN subscriptions=%d total=%.1f s subscriptions/s=%.0f lines/s=%.0f anchor=%.1f s ratio=%.3f%n",
                subscriptions,
                median,
                subscriptions / median,
                (double) subscriptions * LINES_PER_INVOICE / median,
                anchor,
                anchor / median);
        System.exit(0);
    }

    private record Result(
            double seconds,
            long invoices,
            long lines,
            long peakHeapBytes,
            double anchorSeconds,
            double loadBefore,
            double loadAfter) {}

    private static Result run(TestPostgres postgres, int subscriptions, int threads) throws Exception {
        TestPostgres.Database database = postgres.createDatabase();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.addDataSourceProperty("reWriteBatchedInserts", "true"); // as production's pool (DatabaseFactory)
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(4);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            Migrations.migrate(dataSource, BillingSettings.SCHEMA);
            Jdbi jdbi =
                    Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
            StatementTimes statements = new StatementTimes();
            if (Boolean.getBoolean("bench.statements")) {
                jdbi.setSqlLogger(statements);
            }
            long setupStart = System.nanoTime();
            jdbi.useTransaction(handle -> setUp(handle, subscriptions));
            // statistics of the set-up's tables, as a running deployment has them; the invoice tables are left
            // unanalyzed: statistics taken while they are empty would plan the triggers' lookups as scans
            jdbi.useHandle(handle -> handle.execute("ANALYZE billing.customers, billing.subscriptions,"
                    + " billing.subscription_item_changes, billing.usage_ledger, billing.window_statement_parts"));
            System.out.printf("set-up: %.1f s%n", (System.nanoTime() - setupStart) / 1e9);

            BillingCycleWorker worker = worker(dataSource, jdbi);
            double loadBefore = BenchFigures.load();
            BenchFigures.HeapPeak heap = BenchFigures.HeapPeak.start();
            long start = System.nanoTime();
            // as the worker's threads do once started: each drains rounds until none is due
            ExecutorService threadPool = Executors.newFixedThreadPool(threads);
            List<Future<Long>> drains = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                drains.add(threadPool.submit(worker::drain));
            }
            long billed = 0;
            for (Future<Long> drain : drains) {
                billed += drain.get();
            }
            threadPool.shutdown();
            double elapsed = (System.nanoTime() - start) / 1e9;
            long peak = heap.stop();
            double loadAfter = BenchFigures.load();
            if (billed != subscriptions) {
                throw new IllegalStateException("billed " + billed + " subscriptions of " + subscriptions);
            }
            if (Boolean.getBoolean("bench.statements")) {
                statements.print(System.out, 20);
            }
            Counts counts = verify(dataSource, subscriptions);
            double anchor = anchor(dataSource, subscriptions);
            return new Result(elapsed, counts.invoices(), counts.lines(), peak, anchor, loadBefore, loadAfter);
        }
    }

    private static BillingCycleWorker worker(HikariDataSource dataSource, Jdbi jdbi) {
        BillingDatabase database = new BillingDatabase(dataSource, jdbi);
        Topics topics = Topics.create(
                "bench-" + UUID.randomUUID() + ".",
                SchemaRegistryServer.shared().client());
        BillingSettings settings = new BillingSettings(
                "admin", "bench", Duration.ofMillis(200), 500, Duration.ofSeconds(1), false, MARGIN);
        // no broker: the relay is never started, the outbox is only filled as the writer fills it
        KafkaClientProperties clients = new KafkaClientProperties(
                new KafkaSettings("localhost:1", SchemaRegistryServer.shared().url(), "", 1, (short) 1, false));
        BillingOutboxRelay relay = new BillingOutboxRelay(database, settings, clients);
        Clock clock = Clock.systemUTC();
        SubscriptionInvoicing invoicing = new SubscriptionInvoicing(
                database, relay, topics, new StoredPriceDefinitions(ObjectMapper.getDefault()), clock);
        // the worker's defaults: rounds of 100 (its threads are the program's, see run)
        BillingCycleSettings cycle =
                new BillingCycleSettings(true, Duration.ofSeconds(5), 100, 2, Duration.ofMinutes(1));
        return CycleWorkers.unscheduled(jdbi, invoicing, relay, () -> Optional.of(FINAL_THROUGH), MARGIN, cycle, clock);
    }

    /** The catalog, the customers, their subscriptions and January's usage, in a few statements. */
    private static void setUp(Handle handle, int n) {
        // delay 0: the benchmark measures the cycle issuing invoices, as before drafts waited (V30)
        handle.execute(
                "INSERT INTO billing.organizations (id, name, auto_finalize_delay_seconds) VALUES (?, 'Bench', 0)",
                ORG);
        handle.execute("INSERT INTO billing.products (id, organization_id, livemode, type, name) VALUES"
                + " ('prod_plan', '" + ORG + "', false, 'recurring', 'Plan')");
        handle.execute("INSERT INTO billing.products (id, organization_id, livemode, feature_key, name) VALUES"
                + " ('prod_calls', '" + ORG + "', false, 'api_call', 'API calls'),"
                + " ('prod_storage', '" + ORG + "', false, 'storage_gb', 'Storage'),"
                + " ('prod_export', '" + ORG + "', false, 'export', 'Exports')");
        price(
                handle,
                "price_plan",
                "prod_plan",
                "flat",
                "{\"currency\":\"USD\",\"model\":\"flat\",\"flatAmount\":\"" + FEE.toPlainString()
                        + "\",\"interval\":\"month\",\"intervalCount\":1,\"billingTiming\":\"in_advance\"}");
        price(
                handle,
                "price_calls",
                "prod_calls",
                "graduated",
                "{\"currency\":\"USD\",\"model\":\"graduated\","
                        + "\"tiers\":[{\"upTo\":\"1000\",\"unitAmount\":\"0.02\",\"flatAmount\":null},"
                        + "{\"upTo\":\"10000\",\"unitAmount\":\"0.01\",\"flatAmount\":null},"
                        + "{\"upTo\":null,\"unitAmount\":\"0.005\",\"flatAmount\":null}],"
                        + "\"interval\":\"month\",\"intervalCount\":1,\"billingTiming\":\"in_arrears\"}");
        price(
                handle,
                "price_storage",
                "prod_storage",
                "volume",
                "{\"currency\":\"USD\",\"model\":\"volume\","
                        + "\"tiers\":[{\"upTo\":\"100\",\"unitAmount\":\"0.50\",\"flatAmount\":null},"
                        + "{\"upTo\":\"1000\",\"unitAmount\":\"0.40\",\"flatAmount\":null},"
                        + "{\"upTo\":null,\"unitAmount\":\"0.30\",\"flatAmount\":null}],"
                        + "\"interval\":\"month\",\"intervalCount\":1,\"billingTiming\":\"in_arrears\"}");
        price(
                handle,
                "price_export",
                "prod_export",
                "package",
                "{\"currency\":\"USD\",\"model\":\"package\","
                        + "\"packageSize\":\"100\",\"packageAmount\":\"2.00\","
                        + "\"interval\":\"month\",\"intervalCount\":1,\"billingTiming\":\"in_arrears\"}");
        handle.createUpdate("INSERT INTO billing.customers (id, organization_id, livemode, external_id)"
                        + " SELECT 'cus_' || i, :org, false, 'c' || i FROM generate_series(1, :n) i")
                .bind("org", ORG)
                .bind("n", n)
                .execute();
        handle.createUpdate("INSERT INTO billing.subscriptions (id, organization_id, livemode, customer_id, currency,"
                        + " interval, interval_count, start_at, time_zone, next_plan_at)"
                        + " SELECT 'sub_' || lpad(i::text, 7, '0'), :org, false, 'cus_' || i, 'USD', 'month', 1,"
                        + " :start, 'UTC', :start FROM generate_series(1, :n) i")
                .bind("org", ORG)
                .bind("start", START)
                .bind("n", n)
                .execute();
        handle.createUpdate("INSERT INTO billing.subscription_item_changes (subscription_id, item_id, at, price_id,"
                        + " quantity) SELECT 'sub_' || lpad(i::text, 7, '0'), item, :start, price, 1"
                        + " FROM generate_series(1, :n) i, (VALUES (1, 'si_plan', 'price_plan'),"
                        + " (2, 'si_calls', 'price_calls'), (3, 'si_storage', 'price_storage'),"
                        + " (4, 'si_export', 'price_export')) AS items(k, item, price) ORDER BY i, k")
                .bind("start", START)
                .bind("n", n)
                .execute();
        // the window key as Keys.window spells it (checked below), the aggregate id of a first revision
        handle.createUpdate("INSERT INTO billing.usage_ledger (aggregate_id, window_key, organization_id, livemode,"
                        + " customer, feature, window_start, window_end, quantity, event_count, kind, aggregation,"
                        + " revision, source_topic, source_partition, source_offset)"
                        + " SELECT w.key, w.key, :org, false, w.customer, w.feature, :window, :windowEnd, w.quantity, 1 + w.i % 10, 'window', 'sum', 0,"
                        + " 'bench.usage-aggregates', w.i % 4, w.i * 3 + w.k FROM (SELECT i, k, 'c' || i AS customer,"
                        + " feature, :org || '|test|c' || i || '|' || feature || '|' || :windowMillis AS key,"
                        + " CASE k WHEN 0 THEN (i * 37) % 20000 + 1 WHEN 1 THEN i % 1500 + 1"
                        + " ELSE (i * 13) % 5000 + 1 END AS quantity FROM generate_series(1, :n) i,"
                        + " (VALUES (0, 'api_call'), (1, 'storage_gb'), (2, 'export')) AS f(k, feature)) w"
                        + " ORDER BY w.i, w.k")
                .bind("org", ORG)
                .bind("window", WINDOW)
                .bind("windowEnd", WINDOW.plus(Duration.ofHours(1)))
                .bind("windowMillis", WINDOW.toEpochMilli())
                .bind("n", n)
                .execute();
        handle.execute(
                "INSERT INTO billing.window_statement_parts (organization_id, livemode, window_key, revision,"
                        + " part, parts) SELECT organization_id, livemode, window_key, revision, 0, 1 FROM billing.usage_ledger");
        String key = handle.createQuery("SELECT window_key FROM billing.usage_ledger WHERE customer = 'c1'"
                        + " AND feature = 'api_call'")
                .mapTo(String.class)
                .one();
        String expected = Keys.window(ORG, false, "c1", "api_call", WINDOW.toEpochMilli());
        if (!key.equals(expected)) {
            throw new IllegalStateException("window key " + key + " is not Keys.window's " + expected);
        }
    }

    private static void price(Handle handle, String id, String product, String model, String definition) {
        handle.execute(
                "INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, model, definition)"
                        + " VALUES (?, ?, false, ?, 'USD', ?, CAST(? AS jsonb))",
                id,
                ORG,
                product,
                model,
                definition);
    }

    private record Counts(long invoices, long lines) {}

    /**
     * Every subscription has exactly one invoice, finalized, of {@link #LINES_PER_INVOICE} lines adding up to
     * its total, which is the one {@link #expectedMinor} computes; read streamed, subscription by subscription.
     */
    private static Counts verify(HikariDataSource dataSource, int n) throws SQLException {
        long invoices = 0;
        long lines = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement query = connection.prepareStatement("SELECT s.id, count(DISTINCT i.id),"
                    + " min(i.total_minor), max(i.total_minor), count(l.id), coalesce(sum(l.amount_minor), 0),"
                    + " bool_and(i.status = 'finalized') FROM billing.subscriptions s"
                    + " LEFT JOIN billing.invoices i ON i.subscription_id = s.id"
                    + " LEFT JOIN billing.invoice_lines l ON l.invoice_id = i.id GROUP BY s.id ORDER BY s.id")) {
                query.setFetchSize(5_000);
                try (ResultSet rows = query.executeQuery()) {
                    int i = 0;
                    while (rows.next()) {
                        i++;
                        String id = rows.getString(1);
                        int index = Integer.parseInt(id.substring("sub_".length()));
                        long expected = expectedMinor(index);
                        if (index != i
                                || rows.getLong(2) != 1
                                || rows.getLong(3) != expected
                                || rows.getLong(4) != expected
                                || rows.getLong(5) != LINES_PER_INVOICE
                                || rows.getLong(6) != expected
                                || !rows.getBoolean(7)) {
                            throw new IllegalStateException(String.format(
                                    "%s: %d invoices, totals %d..%d, %d lines summing to %d, finalized %s;"
                                            + " expected one finalized invoice of %d lines totalling %d",
                                    id,
                                    rows.getLong(2),
                                    rows.getLong(3),
                                    rows.getLong(4),
                                    rows.getLong(5),
                                    rows.getLong(6),
                                    rows.getBoolean(7),
                                    LINES_PER_INVOICE,
                                    expected));
                        }
                        invoices++;
                        lines += rows.getLong(5);
                    }
                    if (i != n) {
                        throw new IllegalStateException(i + " subscriptions, expected " + n);
                    }
                }
            }
            connection.commit();
        }
        System.out.printf("verified: %d subscriptions, one invoice each, %d lines, totals exact%n", invoices, lines);
        return new Counts(invoices, lines);
    }

    /** Subscription {@code i}'s invoice total in cents, each line rounded half-even once, as the set-up priced it. */
    static long expectedMinor(int i) {
        BigDecimal calls = BigDecimal.valueOf((i * 37L) % 20_000 + 1);
        BigDecimal storage = BigDecimal.valueOf(i % 1_500 + 1);
        long exports = (i * 13L) % 5_000 + 1;
        BigDecimal graduated = tier(calls, 0, 1_000, "0.02")
                .add(tier(calls, 1_000, 10_000, "0.01"))
                .add(tier(calls, 10_000, Long.MAX_VALUE, "0.005"));
        String volumeRate = storage.longValue() <= 100 ? "0.50" : storage.longValue() <= 1_000 ? "0.40" : "0.30";
        BigDecimal volume = storage.multiply(new BigDecimal(volumeRate));
        BigDecimal pack = BigDecimal.valueOf((exports + 99) / 100).multiply(new BigDecimal("2.00"));
        return cents(FEE) * FLAT_PERIODS + cents(graduated) + cents(volume) + cents(pack);
    }

    private static BigDecimal tier(BigDecimal quantity, long from, long to, String unitAmount) {
        BigDecimal in = quantity.min(BigDecimal.valueOf(to)).subtract(BigDecimal.valueOf(from));
        return in.signum() <= 0 ? BigDecimal.ZERO : in.multiply(new BigDecimal(unitAmount));
    }

    private static long cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN).movePointRight(2).longValueExact();
    }

    /**
     * The anchor: as many invoices and lines as the cycle wrote, inserted by bare JDBC batches (1,000 invoices
     * and their lines per batch and commit) into copies of the invoice tables with their indexes but no
     * triggers or foreign keys: the cost of the rows alone.
     */
    private static double anchor(HikariDataSource dataSource, int n) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try (var ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE public.anchor_invoices (LIKE billing.invoices INCLUDING DEFAULTS"
                        + " INCLUDING INDEXES)");
                ddl.execute("CREATE TABLE public.anchor_lines (LIKE billing.invoice_lines INCLUDING DEFAULTS"
                        + " INCLUDING INDEXES)");
            }
            connection.setAutoCommit(false);
            Timestamp from = Timestamp.from(START);
            Timestamp to = Timestamp.from(FINAL_THROUGH);
            Timestamp now = Timestamp.from(Instant.now());
            long start = System.nanoTime();
            try (PreparedStatement invoices = connection.prepareStatement("INSERT INTO public.anchor_invoices (id,"
                            + " number, organization_id, livemode, customer_id, subscription_id, currency,"
                            + " period_start, period_end, status, total_minor, finalized_at)"
                            + " VALUES (?, ?, ?, false, ?, ?, 'USD', ?, ?, 'finalized', ?, ?)");
                    PreparedStatement lines = connection.prepareStatement("INSERT INTO public.anchor_lines (id,"
                            + " invoice_id, kind, price_id, feature_key, quantity, amount_minor, usage_start,"
                            + " usage_end, description, subscription_id, line_key, item_id, event_count,"
                            + " line_number) VALUES (?, ?, 'usage', 'price_calls', 'api_call', ?, ?, ?, ?,"
                            + " 'API calls', ?, ?, 'si_calls', 1, ?)")) {
                for (int i = 1; i <= n; i++) {
                    String invoice = "inv_" + i;
                    String subscription = String.format("sub_%07d", i);
                    invoices.setString(1, invoice);
                    invoices.setString(2, String.format("INV-%06d", i));
                    invoices.setString(3, ORG);
                    invoices.setString(4, "cus_" + i);
                    invoices.setString(5, subscription);
                    invoices.setTimestamp(6, from);
                    invoices.setTimestamp(7, to);
                    invoices.setLong(8, expectedMinor(i));
                    invoices.setTimestamp(9, now);
                    invoices.addBatch();
                    for (int k = 1; k <= LINES_PER_INVOICE; k++) {
                        lines.setString(1, "il_" + i + "_" + k);
                        lines.setString(2, invoice);
                        lines.setBigDecimal(3, BigDecimal.valueOf(k));
                        lines.setLong(4, k * 100L);
                        lines.setTimestamp(5, from);
                        lines.setTimestamp(6, to);
                        lines.setString(7, subscription);
                        lines.setString(8, "key|" + k);
                        lines.setInt(9, k);
                        lines.addBatch();
                    }
                    if (i % 1_000 == 0 || i == n) {
                        invoices.executeBatch();
                        lines.executeBatch();
                        connection.commit();
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            connection.setAutoCommit(true);
            return seconds;
        }
    }
}
