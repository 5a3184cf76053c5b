package dev.tally.platform.offsets;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker thread that polls a {@code read_committed} consumer and applies each batch in ONE
 * PostgreSQL transaction together with the batch's offsets ({@link OffsetStore}), which makes
 * consumption exactly once: a crash before the commit replays the batch from the stored offsets,
 * a crash after it resumes past them.
 *
 * <p>On every assignment the consumer seeks to the positions stored in PostgreSQL (partitions
 * never recorded start from the beginning); Kafka group offsets are never committed. A batch that
 * fails (the handler throws, the database is down, a zombie's {@link StaleOffsetsException}) is
 * rolled back, its partitions are rewound to the stored positions and it is retried after a
 * back-off, so no record is skipped.
 *
 * <p>The loop owns the consumer it is given: it subscribes it, uses it only from its own thread,
 * and closes it when it stops. Usage: {@code start()} in a {@code @PostConstruct},
 * {@code close()} in a {@code @PreDestroy}.
 */
public final class TransactionalConsumerLoop<K, V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalConsumerLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final Jdbi jdbi;
    private final OffsetStore offsets;
    private final String group;
    private final Consumer<K, V> consumer;
    private final Collection<String> topics;
    private final BatchHandler<K, V> handler;
    private final Duration retryBackoff;
    private final Thread thread;
    private final Set<TopicPartition> unpositioned = new HashSet<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    /**
     * A loop (not yet started) that consumes {@code topics} with {@code consumer}, whose group id
     * must be {@code group}.
     */
    public TransactionalConsumerLoop(
            Jdbi jdbi,
            OffsetStore offsets,
            String group,
            Consumer<K, V> consumer,
            Collection<String> topics,
            BatchHandler<K, V> handler,
            Duration retryBackoff) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.offsets = Objects.requireNonNull(offsets);
        this.group = Objects.requireNonNull(group);
        this.consumer = Objects.requireNonNull(consumer);
        this.topics = List.copyOf(topics);
        this.handler = Objects.requireNonNull(handler);
        this.retryBackoff = Objects.requireNonNull(retryBackoff);
        this.thread = new Thread(this::run, "tally-consumer-" + group);
    }

    /** Starts polling on the loop's own thread. */
    public void start() {
        thread.start();
    }

    /** Stops after the batch in progress (committed or rolled back) and closes the consumer. */
    @Override
    public void close() {
        running = false;
        stopped.countDown();
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the loop thread is alive. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    private void run() {
        try {
            consumer.subscribe(topics, new SeekToStoredPositions());
            while (running) {
                pollOnce();
            }
        } catch (WakeupException e) {
            // close() woke the consumer up: nothing to do but close it
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void pollOnce() {
        if (!unpositioned.isEmpty() && !positionUnpositioned()) {
            backOff();
            return;
        }
        ConsumerRecords<K, V> batch;
        try {
            batch = consumer.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.error("consumer group {}: poll failed, retrying in {}", group, retryBackoff, e);
            backOff();
            return;
        }
        if (batch.isEmpty()) {
            return;
        }
        if (!unpositioned.isEmpty()) {
            // a partition assigned during this poll could not be positioned, so the batch may hold
            // records from the wrong offsets: drop it and read everything again from PostgreSQL
            unpositioned.addAll(batch.partitions());
            return;
        }
        try {
            jdbi.useTransaction(handle -> {
                handler.handle(handle, batch);
                offsets.record(handle, group, batch);
            });
        } catch (RuntimeException e) {
            // whatever failed (handler, database, a zombie's stale offsets), the transaction rolled
            // back: read the batch again from the stored positions
            LOG.error(
                    "consumer group {}: batch of {} records rolled back, retrying in {}",
                    group,
                    batch.count(),
                    retryBackoff,
                    e);
            unpositioned.addAll(batch.partitions());
            backOff();
        }
    }

    /** Seeks every unpositioned partition still assigned to its stored position. */
    private boolean positionUnpositioned() {
        unpositioned.retainAll(consumer.assignment());
        try {
            Map<TopicPartition, Long> positions =
                    jdbi.withHandle(handle -> offsets.positions(handle, group, unpositioned));
            for (TopicPartition partition : unpositioned) {
                Long next = positions.get(partition);
                if (next == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, next);
                }
            }
            unpositioned.clear();
            return true;
        } catch (JdbiException e) {
            LOG.error("consumer group {}: cannot read stored offsets, retrying in {}", group, retryBackoff, e);
            return false;
        }
    }

    private void backOff() {
        try {
            stopped.await(retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private final class SeekToStoredPositions implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            unpositioned.addAll(partitions);
            positionUnpositioned();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // every batch is committed or rolled back before the next poll: nothing to flush
            unpositioned.removeAll(partitions);
        }
    }
}
