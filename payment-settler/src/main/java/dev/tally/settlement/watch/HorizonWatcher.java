package dev.tally.settlement.watch;

import dev.tally.settlement.SettlementException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker thread that follows the receiving account's payments on Horizon from the cursor stored
 * in PostgreSQL. Each page is recorded in ONE transaction that also moves the cursor past it, and
 * only if the cursor is still where the page was read from; each operation is recorded at most once
 * (unique on transaction hash + operation). So a crash at any point, a second instance, or a
 * re-read from an older cursor never records or settles a payment twice, and never skips one.
 */
public final class HorizonWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HorizonWatcher.class);

    private final Jdbi jdbi;
    private final StellarPayments stellar;
    private final PaymentRecorder recorder;
    private final String account;
    private final int pageLimit;
    private final Duration pollInterval;
    private final Duration retryBackoff;
    private final Clock clock;
    private final Runnable afterSettle;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * A watcher (not yet started) of {@code account}'s payments.
     *
     * @param afterSettle run after a page that settled a request committed (wakes the outbox relay)
     */
    public HorizonWatcher(
            Jdbi jdbi,
            StellarPayments stellar,
            PaymentRecorder recorder,
            String account,
            int pageLimit,
            Duration pollInterval,
            Duration retryBackoff,
            Clock clock,
            Runnable afterSettle) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.stellar = Objects.requireNonNull(stellar);
        this.recorder = Objects.requireNonNull(recorder);
        this.account = Objects.requireNonNull(account);
        this.pageLimit = pageLimit;
        this.pollInterval = Objects.requireNonNull(pollInterval);
        this.retryBackoff = Objects.requireNonNull(retryBackoff);
        this.clock = Objects.requireNonNull(clock);
        this.afterSettle = Objects.requireNonNull(afterSettle);
        this.thread = new Thread(this::run, "tally-horizon-watcher");
        // anything the loop does not retry stops watching: say so loudly rather than die silently
        this.thread.setUncaughtExceptionHandler((t, e) -> LOG.error("watching payments of {} stopped", account, e));
    }

    /** Starts watching on the watcher's own thread. */
    public void start() {
        thread.start();
    }

    /** Stops after the page in progress (committed or rolled back). */
    @Override
    public void close() {
        stopped.countDown();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads and records the next page of payments after the stored cursor.
     *
     * @return how many operations the page held (0: caught up, or another watcher moved the cursor)
     */
    public int pollOnce() {
        Optional<String> cursor = jdbi.withHandle(handle -> new StellarPaymentDao(handle).cursor(account));
        List<ObservedPayment> page = stellar.paymentsAfter(account, cursor.orElse(null), pageLimit);
        if (page.isEmpty()) {
            return 0;
        }
        String next = page.getLast().pagingToken();
        return jdbi.inTransaction(handle -> {
            StellarPaymentDao payments = new StellarPaymentDao(handle);
            if (!payments.advanceCursor(account, cursor, next, clock.instant())) {
                // another watcher recorded this page first: nothing to do, the next poll reads past it
                return 0;
            }
            boolean settled = false;
            for (ObservedPayment payment : page) {
                settled |= recorder.record(handle, account, payment, clock.instant());
            }
            if (settled) {
                handle.afterCommit(afterSettle);
            }
            return page.size();
        });
    }

    private void run() {
        while (stopped.getCount() > 0) {
            Duration pause = pollInterval;
            try {
                if (pollOnce() >= pageLimit) {
                    // a full page: more may be waiting, read on at once
                    pause = Duration.ZERO;
                }
            } catch (SettlementException | JdbiException e) {
                LOG.error(
                        "watching payments of {} failed, retrying in {}: {}", account, retryBackoff, e.getMessage(), e);
                pause = retryBackoff;
            }
            try {
                stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
