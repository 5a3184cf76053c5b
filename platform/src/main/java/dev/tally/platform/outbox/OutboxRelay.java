package dev.tally.platform.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background thread that publishes an {@link Outbox}'s records to Kafka in id order and marks
 * them published once the broker acknowledged them.
 *
 * <p><b>Delivery is at least once, on purpose.</b> Marking a row published and the broker's
 * acknowledgement cannot be one atomic step: a crash between the ack and the UPDATE publishes the
 * row again at restart. Making that exactly once would need a Kafka transaction spanning a
 * PostgreSQL commit, which no protocol offers. So the producer is idempotent with
 * {@code acks=all} (no duplicates or reordering from its own retries) and every consumer of these
 * topics is idempotent by event id, invoice id or, on the compacted api-keys topic, by key.
 *
 * <p>Order: each round runs in a PostgreSQL transaction holding an advisory lock on the outbox,
 * so only one relay (of any number of instances) publishes at a time; a round sends rows in id
 * order and marks only the prefix acknowledged without a gap, so a failed row and everything
 * after it are sent again next round, still in order. Ids come from a sequence when rows are
 * inserted, so two transactions committing concurrently may be published in commit order rather
 * than id order; changes to one entity (one invoice, one key) happen in successive transactions
 * and keep their order.
 *
 * <p>The relay owns the producer it is given ({@code String} keys, {@code byte[]} values,
 * configured with {@code KafkaClientProperties.producer}) and closes it when it stops.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private final Jdbi jdbi;
    private final Outbox outbox;
    private final Producer<String, byte[]> producer;
    private final Duration pollInterval;
    private final int batchSize;
    private final Thread thread;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running = true;

    /**
     * A relay (not yet started) that looks for new rows every {@code pollInterval}, or at once
     * after {@link #wakeUp()}, and publishes up to {@code batchSize} rows per round.
     */
    public OutboxRelay(
            Jdbi jdbi, Outbox outbox, Producer<String, byte[]> producer, Duration pollInterval, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        this.jdbi = Objects.requireNonNull(jdbi);
        this.outbox = Objects.requireNonNull(outbox);
        this.producer = Objects.requireNonNull(producer);
        this.pollInterval = Objects.requireNonNull(pollInterval);
        this.batchSize = batchSize;
        this.thread = new Thread(this::run, "tally-outbox-" + outbox.schema());
    }

    /** Starts relaying on the relay's own thread. */
    public void start() {
        thread.start();
    }

    /** Asks the relay to look for new rows now (call after committing an enqueue). */
    public void wakeUp() {
        wake.release();
    }

    /** Stops after the round in progress and closes the producer. */
    @Override
    public void close() {
        running = false;
        wake.release();
        if (thread.getState() == Thread.State.NEW) {
            producer.close(Duration.ofSeconds(5));
            return;
        }
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Publishes one round of unpublished rows, unless another relay holds the outbox.
     *
     * @return how many rows were published and marked
     */
    public int publishPending() {
        return jdbi.inTransaction(this::publishRound);
    }

    private int publishRound(Handle handle) {
        boolean locked = handle.createQuery("SELECT pg_try_advisory_xact_lock(hashtext(:name))")
                .bind("name", outbox.schema() + ".outbox")
                .mapTo(Boolean.class)
                .one();
        if (!locked) {
            return 0;
        }
        List<OutboxRecord> rows = outbox.unpublished(handle, batchSize);
        List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
        for (OutboxRecord row : rows) {
            sends.add(producer.send(new ProducerRecord<>(row.topic(), row.key(), row.payload())));
        }
        List<Long> acked = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            try {
                sends.get(i).get();
                acked.add(rows.get(i).id());
            } catch (ExecutionException e) {
                LOG.warn(
                        "outbox {}: record {} not acknowledged, will retry",
                        outbox.schema(),
                        rows.get(i).id(),
                        e.getCause());
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        outbox.markPublished(handle, acked);
        return acked.size();
    }

    private void run() {
        try {
            while (running) {
                int published = publishSafely();
                if (published < batchSize) {
                    wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private int publishSafely() {
        try {
            return publishPending();
        } catch (JdbiException | KafkaException e) {
            // the round rolled back: its rows stay unpublished and are sent again next round
            LOG.error("outbox {}: round failed, retrying in {}", outbox.schema(), pollInterval, e);
            return 0;
        }
    }
}
