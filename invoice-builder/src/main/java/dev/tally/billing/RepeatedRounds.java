package dev.tally.billing;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;

/**
 * The billing workers' schedule: daemon threads that each run a round, wait {@code delay} after it ends, and run
 * the next, until closed. A round that throws is logged and the next one retries: a database that is away now
 * must not stop a worker for good.
 */
public final class RepeatedRounds implements AutoCloseable {

    private final ScheduledExecutorService scheduler;

    private RepeatedRounds(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Starts {@code threads} threads named {@code name-1} … running {@code round}, the first after {@code delay}. */
    public static RepeatedRounds start(String name, int threads, Duration delay, Runnable round, Logger log) {
        AtomicInteger started = new AtomicInteger();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, name + "-" + started.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Runnable guarded = () -> {
            try {
                round.run();
            } catch (RuntimeException e) {
                log.warn("{} round failed; retrying in {}", name, delay, e);
            }
        };
        long millis = delay.toMillis();
        for (int i = 0; i < threads; i++) {
            scheduler.scheduleWithFixedDelay(guarded, millis, millis, TimeUnit.MILLISECONDS);
        }
        return new RepeatedRounds(scheduler);
    }

    /**
     * Runs {@code batch} (which handles up to a batch of work and says how much it did) until it finds nothing
     * left or the thread is interrupted; returns the sum: the drain of the batch workers' rounds.
     */
    public static int drain(IntSupplier batch) {
        int total = 0;
        int done;
        do {
            done = batch.getAsInt();
            total += done;
        } while (done > 0 && !Thread.currentThread().isInterrupted());
        return total;
    }

    /** Interrupts the rounds under way and waits up to 10 s for them to end. */
    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }
}
