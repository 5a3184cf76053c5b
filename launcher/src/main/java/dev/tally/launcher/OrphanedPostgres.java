package dev.tally.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server left running by a launcher that was killed hard (SIGKILL, OOM killer): the
 * server runs in its own process, outlives the JVM and keeps the port and the data directory, so
 * the next start would fail. Found through {@code postmaster.pid}, whose first line is the
 * server's process id.
 */
final class OrphanedPostgres {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostgres.class);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

    private OrphanedPostgres() {}

    /** Stops the server running on {@code dataDir}, if one is; only call while holding its {@link DataDirLock}. */
    static void stopIfRunning(Path dataDir) {
        Optional<ProcessHandle> server = runningServer(dataDir);
        if (server.isEmpty()) {
            return;
        }
        ProcessHandle process = server.get();
        LOG.warn("stopping PostgreSQL (pid {}) left running on {} by a run that was killed", process.pid(), dataDir);
        // SIGTERM: PostgreSQL's smart shutdown, which is quick here since its clients died with their JVM
        process.destroy();
        try {
            process.onExit().get(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("PostgreSQL (pid " + process.pid() + ") left on " + dataDir
                    + " did not stop within " + SHUTDOWN_TIMEOUT.toSeconds() + " s; stop it by hand");
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not wait for PostgreSQL (pid " + process.pid() + ") to stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping PostgreSQL (pid " + process.pid() + ")", e);
        }
    }

    /** The live postgres process named by {@code postmaster.pid}; a stale file (pid reused or gone) names none. */
    static Optional<ProcessHandle> runningServer(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
        if (lines.isEmpty() || !lines.getFirst().strip().matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.getFirst().strip()))
                .filter(ProcessHandle::isAlive)
                .filter(OrphanedPostgres::isPostgres);
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info()
                .command()
                .map(command -> Path.of(command).getFileName().toString().startsWith("postgres"))
                .orElse(false);
    }
}
