package dev.tally.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A launcher killed hard leaves its PostgreSQL server running (it is a process of its own); the
 * next start on the same data directory stops that orphan and comes up with the data intact, while
 * a start beside a LIVE run is refused instead of taking its data directory.
 *
 * <pre>
 *   child JVM: lock data dir, start PostgreSQL, write a row ── SIGKILL ──▶ postgres orphaned
 *   this JVM:  lock (free again) → orphan stopped → PostgreSQL starts on the same dir → row still there
 * </pre>
 */
class LocalPostgresKillIT {

    @Test
    void shouldRecoverTheDataDirectoryOfARunKilledHard(@TempDir Path dataDir) throws Exception {
        LocalPorts ports = FreePorts.allocate();
        Process child = startChild(dataDir, ports.postgres());
        try {
            awaitReady(child);
            assertThatThrownBy(() -> DataDirLock.acquire(dataDir))
                    .as("a live run's data directory is not taken")
                    .hasMessageContaining("in use by another running Tally");

            child.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
            ProcessHandle orphan = OrphanedPostgres.runningServer(dataDir.resolve("postgres"))
                    .orElseThrow(() -> new AssertionError("the killed run should have left PostgreSQL running"));

            try (DataDirLock lock = DataDirLock.acquire(dataDir);
                    LocalPostgres postgres = LocalPostgres.start(dataDir.resolve("postgres"), ports.http())) {
                assertThat(orphan.isAlive()).isFalse();
                assertThat(keptNotes(postgres)).containsExactly("written before the kill");
            }
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void shouldRefuseASecondRunOnTheSameDataDirectory(@TempDir Path dataDir) {
        try (DataDirLock first = DataDirLock.acquire(dataDir)) {
            assertThatThrownBy(() -> DataDirLock.acquire(dataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("--data-dir");
        }
        DataDirLock.acquire(dataDir).close();
    }

    private static Process startChild(Path dataDir, int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        HardKilledRun.class.getName(),
                        dataDir.toString(),
                        Integer.toString(port))
                .redirectErrorStream(true)
                .start();
    }

    /** Reads the child's output until it says it is ready; fails with its output if it ends first. */
    private static void awaitReady(Process child) throws IOException {
        StringBuilder output = new StringBuilder();
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.equals(HardKilledRun.READY)) {
                return;
            }
            output.append(line).append('\n');
        }
        throw new AssertionError("the child run ended before it was ready:\n" + output);
    }

    private static List<String> keptNotes(LocalPostgres postgres) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT note FROM kept")) {
            List<String> notes = new ArrayList<>();
            while (rows.next()) {
                notes.add(rows.getString(1));
            }
            return notes;
        }
    }
}
