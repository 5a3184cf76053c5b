package dev.tally.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's embedded binaries, no Docker, runs as root too) on a free
 * loopback port, its data under {@code java.io.tmpdir}. Tuned for tests, not durability: no fsync.
 * Test classes share the server and isolate themselves with a database each:
 *
 * <pre>{@code
 * Database db = TestPostgres.shared().createDatabase();   // fresh and empty
 * props.put("tally.database.url", db.jdbcUrl());
 * Migrations.migrate(db.dataSource(), "billing");
 * }</pre>
 */
public final class TestPostgres implements AutoCloseable {

    /** The superuser zonky creates; it authenticates by trust on loopback. */
    private static final String USER = "postgres";

    private static final String PASSWORD = "postgres";
    private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);

    private static TestPostgres shared;

    private final EmbeddedPostgres postgres;
    private final boolean isShared;
    private final AtomicInteger databases = new AtomicInteger();

    /**
     * A database of the test server and how to connect to it.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://localhost:40321/test_3}
     */
    public record Database(String jdbcUrl, String user, String password) {

        /** A new (unpooled) data source for this database. */
        public DataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(jdbcUrl);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            return dataSource;
        }
    }

    private TestPostgres(EmbeddedPostgres postgres, boolean isShared) {
        this.postgres = postgres;
        this.isShared = isShared;
    }

    /** Starts a fresh server (about 3 s) that the caller closes. */
    public static TestPostgres start() {
        return new TestPostgres(startServer(), false);
    }

    /**
     * The server shared by every test of this JVM, started on first use and stopped when the JVM
     * exits; {@link #close()} on it does nothing.
     */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = new TestPostgres(startServer(), true);
        }
        return shared;
    }

    private static EmbeddedPostgres startServer() {
        QuietLogs.apply();
        try {
            return EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** Creates a new, empty database on this server. */
    public Database createDatabase() {
        String name = "test_" + databases.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return new Database("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, USER, PASSWORD);
    }

    /** The port the server listens on. */
    public int port() {
        return postgres.getPort();
    }

    /** Stops the server and deletes its data; does nothing on the {@link #shared()} one. */
    @Override
    public void close() {
        if (isShared) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
