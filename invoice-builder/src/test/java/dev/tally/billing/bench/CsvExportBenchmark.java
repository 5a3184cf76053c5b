package dev.tally.billing.bench;

import com.sun.management.OperatingSystemMXBean;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.export.CsvExports;
import dev.tally.billing.export.ExportFilter;
import dev.tally.billing.invoice.InvoiceFilter;
import dev.tally.platform.database.Migrations;
import dev.tally.testkit.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.PGConnection;

/**
 * The invoice-lines CSV export of N lines through the production path ({@link CsvExports#lines}: the cursor,
 * the row mapping, descriptions, amounts at the currency's scale, RFC 4180 text, UTF-8), read to the end as
 * the HTTP server reads the body, against two anchors measured in the same run on the same rows: a bare JDBC
 * read of them as one join, each line with its invoice's and customer's columns (same fetch size, every column
 * read as text; the export reads the invoices beside the lines instead, {@code LinesWithInvoices}) and
 * PostgreSQL's own {@code COPY (SELECT ...) TO STDOUT WITH CSV} of that join. Also the export of a tenth of the
 * range, to compare peak heaps. Besides the elapsed times it prints the CPU per row of this JVM and of the
 * PostgreSQL backend, which a busy machine disturbs less. A program, not a test: run it on a quiet machine.
 *
 * <p>Set-up (untimed, in SQL over {@code generate_series}, triggers off): one organization, 10,000 customers
 * (every tenth name holding a comma, so quoted), N / 10 finalized USD invoices of 10 usage lines each, created
 * 10 seconds apart from 2026-11-01, lines of the period close (no stored description: the export composes it).
 *
 * <p>Arguments: {@code lines runs} (defaults {@code 1000000 3}).
 */
public final class CsvExportBenchmark {

    private static final String ORG = "org_bench";
    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-01T00:00:00Z");
    private static final int FETCH_SIZE = 1000;
    private static final int LINES_PER_INVOICE = 10;

    /** The join the export reads, with its columns, for the anchors. */
    private static final String ANCHOR_SELECT = "SELECT il.id, il.invoice_id, il.kind, il.price_id, il.feature_key,"
            + " il.quantity, il.unit_amount, il.amount_minor, il.previous_quantity, il.description, il.subscription_id,"
            + " coalesce(il.usage_start, i.period_start), coalesce(il.usage_end, i.period_end), i.number, i.status,"
            + " i.created_at, i.customer_id, c.external_id, c.name, i.currency FROM billing.invoices i"
            + " JOIN billing.customers c ON c.id = i.customer_id JOIN billing.invoice_lines il ON il.invoice_id = i.id"
            + " WHERE i.organization_id = '" + ORG + "' AND i.livemode = false"
            + " AND i.created_at >= '2026-11-01T00:00:00Z' AND i.created_at < '2026-12-01T00:00:00Z'"
            + " ORDER BY i.created_at, i.id, il.line_number, il.id";

    private CsvExportBenchmark() {}

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int invoices = lines / LINES_PER_INVOICE;
        System.out.printf(
                "lines=%d invoices=%d runs=%d cores=%d maxHeap=%d MB%n",
                lines,
                invoices,
                runs,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        List<Double> rates = new ArrayList<>();
        List<Double> jdbcRates = new ArrayList<>();
        List<Double> copyRates = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        List<Double> postgresRatios = new ArrayList<>();
        List<Double> heaps = new ArrayList<>();
        List<Double> tenthHeaps = new ArrayList<>();
        try (TestPostgres postgres = TestPostgres.start()) {
            TestPostgres.Database database = postgres.createDatabase();
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(database.jdbcUrl());
            config.setUsername(database.user());
            config.setPassword(database.password());
            config.setMaximumPoolSize(4);
            try (HikariDataSource dataSource = new HikariDataSource(config)) {
                Migrations.migrate(dataSource, BillingSettings.SCHEMA);
                Jdbi jdbi = Jdbi.create(dataSource)
                        .installPlugin(new SqlObjectPlugin())
                        .installPlugin(new PostgresPlugin());
                long setUp = System.nanoTime();
                jdbi.useTransaction(handle -> setUp(handle, invoices));
                jdbi.useHandle(handle -> handle.execute(
                        "VACUUM ANALYZE billing.invoices, billing.invoice_lines," + " billing.customers"));
                System.out.printf("set-up: %.1f s%n", (System.nanoTime() - setUp) / 1e9);
                ExportFilter all = new ExportFilter(ORG, false, FROM, TO, InvoiceFilter.none());
                Instant tenthEnd = FROM.plusSeconds(10L * invoices / 10);
                ExportFilter tenth = new ExportFilter(ORG, false, FROM, tenthEnd, InvoiceFilter.none());
                for (int run = 0; run < runs; run++) {
                    double loadBefore = BenchFigures.load();
                    Read export = export(jdbi, all);
                    Read small = export(jdbi, tenth);
                    Timed jdbc = jdbcAnchor(dataSource);
                    double copy = copyAnchor(dataSource);
                    double loadAfter = BenchFigures.load();
                    if (export.records() != lines + 1) {
                        throw new IllegalStateException(export.records() + " records, expected " + (lines + 1));
                    }
                    double rate = lines / export.seconds();
                    rates.add(rate);
                    jdbcRates.add(lines / jdbc.seconds());
                    cpuRatios.add(jdbc.cpuSeconds() / export.cpuSeconds());
                    postgresRatios.add(jdbc.postgresCpuSeconds() / export.postgresCpuSeconds());
                    copyRates.add(lines / copy);
                    heaps.add((double) (export.peakHeap() >> 20));
                    tenthHeaps.add((double) (small.peakHeap() >> 20));
                    System.out.printf(
                            "run=%d export=%.2f s rows/s=%.0f bytes=%d MB peakHeap=%d MB"
                                    + " | tenth: %d rows peakHeap=%d MB | bare JDBC rows/s=%.0f | COPY rows/s=%.0f"
                                    + " | ratio export/JDBC=%.2f export/COPY=%.2f"
                                    + " | JVM CPU per row: export %.2f us, JDBC %.2f us, ratio JDBC/export %.2f"
                                    + " | PostgreSQL CPU per row: export %.2f us, JDBC %.2f us, ratio JDBC/export %.2f"
                                    + " | load=%.2f->%.2f%n",
                            run,
                            export.seconds(),
                            rate,
                            export.bytes() >> 20,
                            export.peakHeap() >> 20,
                            small.records() - 1,
                            small.peakHeap() >> 20,
                            lines / jdbc.seconds(),
                            lines / copy,
                            rate / (lines / jdbc.seconds()),
                            rate / (lines / copy),
                            export.cpuSeconds() * 1e6 / lines,
                            jdbc.cpuSeconds() * 1e6 / lines,
                            jdbc.cpuSeconds() / export.cpuSeconds(),
                            export.postgresCpuSeconds() * 1e6 / lines,
                            jdbc.postgresCpuSeconds() * 1e6 / lines,
                            jdbc.postgresCpuSeconds() / export.postgresCpuSeconds(),
                            loadBefore,
                            loadAfter);
                }
            }
        }
        System.out.printf(
                "MEDIAN lines=%d export rows/s=%.0f peakHeap=%.0f MB (tenth %.0f MB) bare JDBC rows/s=%.0f COPY rows/s=%.0f"
                        + " CPU ratio JDBC/export=%.2f PostgreSQL CPU ratio JDBC/export=%.2f%n",
                lines,
                BenchFigures.median(rates),
                BenchFigures.median(heaps),
                BenchFigures.median(tenthHeaps),
                BenchFigures.median(jdbcRates),
                BenchFigures.median(copyRates),
                BenchFigures.median(cpuRatios),
                BenchFigures.median(postgresRatios));
        System.exit(0);
    }

    private record Read(
            double seconds, double cpuSeconds, double postgresCpuSeconds, long bytes, long records, long peakHeap) {}

    /**
     * A read's elapsed time, the CPU time of this JVM meanwhile (every thread: the export's cursor reader too,
     * and the collector's) and of its PostgreSQL backend: less sensitive to a loaded machine than the elapsed
     * time, and on two cores the larger of the two CPU times bounds the rate.
     */
    private record Timed(double seconds, double cpuSeconds, double postgresCpuSeconds) {}

    private static final OperatingSystemMXBean SYSTEM =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static double cpuSeconds() {
        return SYSTEM.getProcessCpuTime() / 1e9;
    }

    /** The export read to its end in 8 KiB reads, counting its bytes and records (CRLFs), timed. */
    private static Read export(Jdbi jdbi, ExportFilter filter) throws IOException, InterruptedException, SQLException {
        BenchFigures.HeapPeak heap = BenchFigures.HeapPeak.start();
        long start = System.nanoTime();
        double cpuStart = cpuSeconds();
        long bytes = 0;
        long records = 0;
        Handle handle = jdbi.open();
        long backend = backendPid(handle.getConnection());
        double postgresStart = BenchFigures.processCpuSeconds(backend);
        try (InputStream body = CsvExports.lines(handle, filter, FETCH_SIZE)) {
            byte[] buffer = new byte[8192];
            int previous = 0;
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n' && previous == '\r') {
                        records++;
                    }
                    previous = buffer[i];
                }
                bytes += n;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Read(
                seconds,
                cpuSeconds() - cpuStart,
                BenchFigures.processCpuSeconds(backend) - postgresStart,
                bytes,
                records,
                heap.stop());
    }

    private static long backendPid(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT pg_backend_pid()");
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The time to read the same rows by bare JDBC, same fetch size, every column as text. */
    private static Timed jdbcAnchor(HikariDataSource dataSource) throws SQLException {
        long start = System.nanoTime();
        double cpuStart = cpuSeconds();
        long chars = 0;
        double postgresCpu;
        try (Connection connection = dataSource.getConnection()) {
            long backend = backendPid(connection);
            double postgresStart = BenchFigures.processCpuSeconds(backend);
            connection.setAutoCommit(false);
            try (PreparedStatement query = connection.prepareStatement(ANCHOR_SELECT)) {
                query.setFetchSize(FETCH_SIZE);
                try (ResultSet rows = query.executeQuery()) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int c = 1; c <= columns; c++) {
                            String value = rows.getString(c);
                            chars += value == null ? 0 : value.length();
                        }
                    }
                }
            }
            connection.rollback();
            postgresCpu = BenchFigures.processCpuSeconds(backend) - postgresStart;
        }
        if (chars == 0) {
            throw new IllegalStateException("the anchor read nothing");
        }
        return new Timed((System.nanoTime() - start) / 1e9, cpuSeconds() - cpuStart, postgresCpu);
    }

    /** Seconds for PostgreSQL to write the same rows as CSV ({@code COPY ... TO STDOUT}) to a discarding stream. */
    private static double copyAnchor(HikariDataSource dataSource) throws SQLException, IOException {
        long start = System.nanoTime();
        long[] bytes = {0};
        try (Connection connection = dataSource.getConnection()) {
            OutputStream discard = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes[0] += len;
                }
            };
            connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyOut("COPY (" + ANCHOR_SELECT + ") TO STDOUT WITH CSV HEADER", discard);
        }
        if (bytes[0] == 0) {
            throw new IllegalStateException("COPY wrote nothing");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The organization, its customers, invoices and lines, in a few statements with the triggers off. */
    private static void setUp(Handle handle, int invoices) {
        // the set-up's rows are consistent by construction; the row triggers would take minutes for them
        handle.execute("SET session_replication_role = replica");
        // with the triggers off, the prefix the organization's trigger derives is given here
        handle.execute(
                "INSERT INTO billing.organizations (id, name, invoice_prefix) VALUES (?, 'Bench', 'BENCH')", ORG);
        handle.execute("INSERT INTO billing.products (id, organization_id, livemode, feature_key) VALUES"
                + " ('prod_calls', '" + ORG + "', false, 'api_call')");
        handle.execute("INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, unit_amount,"
                + " model, definition) VALUES ('price_calls', '" + ORG + "', false, 'prod_calls', 'USD', 0.05,"
                + " 'per_unit', '{\"currency\":\"USD\",\"model\":\"per_unit\",\"unitAmount\":\"0.05\"}')");
        handle.execute("INSERT INTO billing.customers (id, organization_id, livemode, external_id, time_zone, name)"
                + " SELECT 'cus_' || i, '" + ORG + "', false, 'c' || i, 'UTC', CASE WHEN i % 10 = 0"
                + " THEN 'Customer ' || i || ', Inc.' ELSE 'Customer ' || i END FROM generate_series(1, 10000) i");
        long period = handle.createQuery("INSERT INTO billing.billing_periods (organization_id, livemode,"
                        + " period_start, period_end) VALUES ('" + ORG + "', false, '2026-10-01T00:00:00Z',"
                        + " '2026-11-01T00:00:00Z') RETURNING id")
                .mapTo(Long.class)
                .one();
        handle.createUpdate(
                        "INSERT INTO billing.invoices (id, number, organization_id, livemode, customer_id,"
                                + " billing_period_id, currency, period_start, period_end, status, total_minor, created_at,"
                                + " finalized_at, due_at) SELECT 'inv_' || lpad(i::text, 7, '0'), 'INV-' || lpad(i::text, 7, '0'),"
                                + " :org, false, 'cus_' || (i % 10000 + 1), :period, 'USD', '2026-10-01T00:00:00Z',"
                                + " '2026-11-01T00:00:00Z', 'finalized', 0, CAST(:from AS timestamptz) + i * interval '10 seconds',"
                                + " CAST(:from AS timestamptz) + i * interval '10 seconds',"
                                + " CAST(:from AS timestamptz) + i * interval '10 seconds' + interval '30 days' FROM generate_series(1, :n) i")
                .bind("org", ORG)
                .bind("period", period)
                .bind("from", FROM)
                .bind("n", invoices)
                .execute();
        handle.createUpdate("INSERT INTO billing.invoice_lines (id, invoice_id, kind, price_id, feature_key, quantity,"
                        + " unit_amount, amount_minor, line_number) SELECT 'il_' || i || '_' || k,"
                        + " 'inv_' || lpad(i::text, 7, '0'), 'usage', 'price_calls', 'api_call',"
                        + " ((i * k) % 1000) + 0.5, 0.05, ((i * k) % 1000) * 5 + 2, k"
                        + " FROM generate_series(1, :n) i, generate_series(1, :k) k ORDER BY i, k")
                .bind("n", invoices)
                .bind("k", LINES_PER_INVOICE)
                .execute();
        handle.execute(
                "UPDATE billing.invoices i SET total_minor = s.total FROM (SELECT invoice_id,"
                        + " sum(amount_minor) AS total FROM billing.invoice_lines GROUP BY invoice_id) s WHERE s.invoice_id = i.id");
        handle.execute("SET session_replication_role = origin");
    }
}
