package dev.tally.metering;

import dev.tally.metering.health.PollDelay;
import dev.tally.metering.health.RestoreProgress;
import dev.tally.metering.topology.MeteringTopology;
import dev.tally.platform.kafka.KafkaSettings;
import dev.tally.platform.kafka.TopicProvisioner;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the metering topology for the life of the application: starts it at start-up, heals it after
 * a failure and closes it cleanly (committing its transaction) at shutdown. {@code
 * tally.metering.enabled=false} leaves it out (tools and tests that only need the settings).
 *
 * <p>A failed stream thread is never replaced inside the running client: in Kafka Streams 4.3 the
 * replacement is given the dead thread's tasks while their RocksDB stores can still be open in this
 * process (a task held by the state updater, or lost by it), so it fails on {@code lock hold by
 * current process}, is replaced again, and the client can wedge for minutes while it looks alive.
 * Instead any failure shuts the whole client down ({@code SHUTDOWN_CLIENT}), which closes every task,
 * the state updater and the state directory; after a back-off a fresh client is started on the same
 * state directory and restores what it needs (exactly-once: an uncommitted transaction is aborted,
 * state without a checkpoint is rebuilt from the changelogs). Past {@link ThreadFailures}' bound of
 * restarts, or when the failed client cannot be closed (its stores may still be open), it stops
 * trying and says so: readiness stays DOWN and liveness goes DOWN, for the orchestrator to restart the
 * process.
 *
 * <p>A client can also stall without failing (the report of issue 8: a dead state-updater thread left
 * the stream thread waiting minutes on it, never RUNNING). A client that stays CREATED or
 * REBALANCING for {@link #STALL_TIMEOUT} without any progress (no state change, no restored batch)
 * while a stream thread has not polled for as long is replaced the same way, within the same bound
 * of restarts. A thread that polls is never taken for stalled: a rebalance waiting for another
 * instance is slow, not stuck. A stuck thread usually keeps its client from closing, and then it
 * gives up (liveness DOWN): only a new process frees such a thread.
 */
@Context
@Requires(property = "tally.metering.enabled", notEquals = "false")
public final class MeteringStreams {

    private static final Logger LOG = LoggerFactory.getLogger(MeteringStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final int RESTARTS_PER_PERIOD = 5;
    private static final Duration RESTART_PERIOD = Duration.ofMinutes(10);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Longer than any pause between restored batches or rebalance steps of a healthy client. */
    static final Duration STALL_TIMEOUT = Duration.ofMinutes(2);

    private final Supplier<KafkaStreams> clients;
    private final ThreadFailures failures;
    private final Duration firstBackoff;
    private final Duration stallTimeout;
    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "metering-streams-restarter");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong restarts = new AtomicLong();
    private volatile KafkaStreams current;
    /** Wall-clock millis since which the client has not been RUNNING; -1 while it is. */
    private volatile long notRunningSince = System.currentTimeMillis();
    /** Wall-clock millis of the client's last sign of progress: a state change or a restored batch. */
    private volatile long lastProgress = System.currentTimeMillis();

    private volatile boolean restartPending;

    private volatile boolean gaveUp;
    private volatile boolean stopped;

    /**
     * @param provisioner present when this service creates the topics: it must have run before the
     *     topology subscribes to them
     */
    @Inject
    public MeteringStreams(
            MeteringSettings settings, KafkaSettings kafka, Topics topics, Optional<TopicProvisioner> provisioner) {
        this(
                () -> new KafkaStreams(
                        MeteringTopology.build(topics, settings), StreamsProperties.of(settings, kafka, topics)),
                new ThreadFailures(RESTARTS_PER_PERIOD, RESTART_PERIOD),
                FIRST_BACKOFF,
                STALL_TIMEOUT);
        LOG.debug("topics provisioned by this service: {}", provisioner.isPresent());
    }

    /**
     * For tests: {@code clients} builds each fresh client; restarts are bounded by {@code failures};
     * a client settling for {@code stallTimeout} without progress is replaced.
     */
    MeteringStreams(
            Supplier<KafkaStreams> clients, ThreadFailures failures, Duration firstBackoff, Duration stallTimeout) {
        this.clients = clients;
        this.failures = failures;
        this.firstBackoff = firstBackoff;
        this.stallTimeout = stallTimeout;
    }

    @PostConstruct
    synchronized void start() {
        launch();
        long check = Math.max(100, Math.min(5_000, stallTimeout.toMillis() / 4));
        restarter.scheduleWithFixedDelay(this::replaceIfStalled, check, check, TimeUnit.MILLISECONDS);
    }

    /** The current Streams client, for queries and health; a new one after each restart. */
    public KafkaStreams streams() {
        return current;
    }

    /** The state of the current client. */
    public State state() {
        return current.state();
    }

    /** How long the stream has not been RUNNING (zero while it is), for health and metrics. */
    public Duration notRunningFor() {
        long since = notRunningSince;
        return since < 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - since));
    }

    /** Fresh clients started after a failure since start-up. */
    public long restarts() {
        return restarts.get();
    }

    /**
     * True once it stopped trying to heal (too many failures in a row, or a failed client that would
     * not close): only a restart of the process helps then.
     */
    public boolean gaveUp() {
        return gaveUp;
    }

    private void launch() {
        KafkaStreams client = current(clients.get());
        try {
            client.start();
        } catch (ProcessorStateException unreadable) {
            // a SIGKILL in the middle of creating a RocksDB store (a window segment) can leave files
            // RocksDB refuses to open; every store is also in its changelog (exactly-once), so the
            // local copy is dropped and restored from there
            LOG.warn(
                    "metering state could not be opened; wiping the local copy to restore it from the changelogs",
                    unreadable);
            client.close();
            client.cleanUp();
            current(clients.get()).start();
        }
    }

    /** Makes {@code client} the current one, supervised, not started yet. */
    private KafkaStreams current(KafkaStreams client) {
        client.setUncaughtExceptionHandler(exception -> {
            LOG.error("metering stream thread failed; closing the client to start a fresh one", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        client.setStateListener((now, before) -> changed(client, now, before));
        client.setGlobalStateRestoreListener(new RestoreProgress(() -> lastProgress = System.currentTimeMillis()));
        lastProgress = System.currentTimeMillis();
        current = client;
        return client;
    }

    private void changed(KafkaStreams client, State now, State before) {
        LOG.info("metering streams {} -> {}", before, now);
        if (client != current) {
            return;
        }
        lastProgress = System.currentTimeMillis();
        if (now == State.RUNNING) {
            notRunningSince = -1;
        } else if (notRunningSince < 0) {
            notRunningSince = System.currentTimeMillis();
        }
        if (now == State.ERROR) {
            restartLater(client);
        }
    }

    /** Runs on the restarter thread, so never at the same time as a restart. */
    private void replaceIfStalled() {
        KafkaStreams client = current;
        State state = client.state();
        long quiet = System.currentTimeMillis() - lastProgress;
        if ((state == State.CREATED || state == State.REBALANCING)
                && quiet > stallTimeout.toMillis()
                && PollDelay.longestSecondsAgo(client) * 1000 > stallTimeout.toMillis()
                && !restartPending
                && !gaveUp) {
            LOG.error(
                    "metering streams made no progress for {} ms in {} and a stream thread stopped polling;"
                            + " replacing the client",
                    quiet,
                    state);
            restartLater(client);
        }
    }

    private void restartLater(KafkaStreams failed) {
        if (stopped || restartPending) {
            return;
        }
        int recent = failures.record(System.currentTimeMillis());
        if (recent > failures.limit()) {
            giveUp(failed, "failed " + recent + " times within " + failures.period() + "; not restarting it again");
            return;
        }
        long delay = Math.min(MAX_BACKOFF.toMillis(), firstBackoff.toMillis() << Math.min(recent - 1, 20));
        LOG.warn(
                "metering streams failed; starting a fresh client in {} ms ({} of {} restarts allowed within {})",
                delay,
                recent,
                failures.limit(),
                failures.period());
        restartPending = true;
        restarter.schedule(() -> restart(failed), delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void restart(KafkaStreams failed) {
        restartPending = false;
        if (stopped || failed != current) {
            return;
        }
        // closing a client in ERROR releases its stores and the state directory, which the fresh one needs
        if (!failed.close(CLOSE_TIMEOUT)) {
            giveUp(
                    failed,
                    "could not close the failed client within " + CLOSE_TIMEOUT
                            + " (a stream thread is stuck, or its stores are still open in this process,"
                            + " where a new client would find them locked)");
            return;
        }
        restarts.incrementAndGet();
        try {
            launch();
        } catch (RuntimeException e) {
            LOG.error("metering streams could not start again", e);
            restartLater(current);
        }
    }

    private void giveUp(KafkaStreams failed, String why) {
        gaveUp = true;
        LOG.error(
                "METERING STOPPED: metering streams {}; no usage is metered until this process is restarted "
                        + "(liveness is DOWN)",
                why);
        restarter.execute(() -> failed.close(CLOSE_TIMEOUT));
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        restarter.shutdownNow();
        if (!current.close(CLOSE_TIMEOUT)) {
            LOG.warn("metering streams did not close within {}", CLOSE_TIMEOUT);
        }
    }
}
