package dev.tally.billing.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tally.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The export body over a real PostgreSQL cursor read ahead by {@link RowPrefetcher}: every row once and in
 * order across many fetches, the connection back in the pool and the reader gone when a client stops early,
 * and a cursor failing midway cutting the body short.
 */
class CsvBodyIT {

    private static final CsvTable<String[]> TABLE = new CsvTable<>(
            List.of(CsvTable.Column.text("n", row -> row[0]), CsvTable.Column.text("text", row -> row[1])));
    private static final int BATCH = 100;

    private static HikariDataSource pool;
    private static Jdbi jdbi;

    @BeforeAll
    static void connect() {
        TestPostgres.Database database = TestPostgres.shared().createDatabase();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(2);
        pool = new HikariDataSource(config);
        jdbi = Jdbi.create(pool);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    /** A body of the rows of {@code select} (two text columns), read through a cursor of BATCH rows a fetch. */
    private static InputStream body(String select) {
        Handle handle = jdbi.open();
        handle.begin();
        return new CsvBody<>(
                handle,
                handle.createQuery(select)
                        .setFetchSize(BATCH)
                        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                        .iterator(),
                BATCH,
                TABLE);
    }

    @Test
    void shouldWriteEveryRowOnceInTheCursorsOrderAcrossManyFetches() throws IOException {
        int rows = 10 * BATCH * RowPrefetcher.AHEAD + 7;
        String text;
        try (InputStream body = body("SELECT n::text, 'row ' || n || ', quoted' FROM generate_series(1, " + rows
                + ") AS s(n) ORDER BY s.n")) {
            text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }

        StringBuilder expected = new StringBuilder("n,text\r\n");
        for (int n = 1; n <= rows; n++) {
            expected.append(n).append(",\"row ").append(n).append(", quoted\"\r\n");
        }
        assertThat(text).isEqualTo(expected.toString());
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    }

    @Test
    void shouldStopItsReaderAndGiveTheConnectionBackWhenTheClientStopsEarly() throws IOException {
        InputStream body = body("SELECT g::text, repeat('x', 100) FROM generate_series(1, 1000000) g");
        byte[] first = body.readNBytes(4096);
        assertThat(readers()).as("the reader runs while the body is open").isNotEmpty();

        body.close();

        assertThat(first).hasSize(4096);
        assertThat(readers()).as("no reader left once closed").isEmpty();
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    }

    @Test
    void shouldCutTheBodyShortWhenTheCursorFailsMidway() throws IOException {
        // the division fails on row 5,000, which a later fetch than the first reads, after chunks went out
        InputStream body =
                body("SELECT g::text, repeat('x', 100) || (1 / (5000 - g)) FROM generate_series(1, 10000) g");
        ByteArrayOutputStream read = new ByteArrayOutputStream();

        assertThatThrownBy(() -> body.transferTo(read))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("could not read its rows")
                .hasStackTraceContaining("division by zero");
        body.close();

        String text = read.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("n,text\r\n1," + "x".repeat(100) + "0\r\n").contains("\r\n500,");
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        assertThat(readers()).isEmpty();
    }

    private static List<Thread> readers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("csv-export-reader") && t.isAlive())
                .toList();
    }
}
