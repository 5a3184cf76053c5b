package dev.tally.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The part of a launcher run that a hard kill leaves behind, as a program for
 * {@link LocalPostgresKillIT} to start in its own JVM and kill: it locks the data directory,
 * starts PostgreSQL, writes a row, says {@value #READY} and waits to be killed.
 */
final class HardKilledRun {

    static final String READY = "ready";

    private HardKilledRun() {}

    public static void main(String[] args) throws IOException, SQLException {
        Path dataDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        // held (and so referenced) until the kill: an unreachable lock's channel may be closed by GC
        try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
            LocalPostgres postgres = LocalPostgres.start(dataDir.resolve("postgres"), port);
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl());
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (note text)");
                statement.execute("INSERT INTO kept VALUES ('written before the kill')");
            }
            System.out.println(READY);
            System.out.flush();
            // blocks until the test kills this JVM; never closes PostgreSQL, as a SIGKILL wouldn't
            System.in.read();
        }
    }
}
