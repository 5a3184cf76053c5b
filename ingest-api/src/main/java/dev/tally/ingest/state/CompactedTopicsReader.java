package dev.tally.ingest.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps in-memory views equal to compacted topics: one background consumer reads every partition
 * of every subscribed topic from the beginning ({@code read_committed}, no consumer group, nothing
 * committed) and applies each record as it comes, so a change takes effect as soon as it is read.
 *
 * <p>Ready once the consumer reached the end offsets seen at start. {@link #catchUp} lets a caller
 * wait until everything published before its call was read (e.g. a key created a moment ago).
 * Records are decoded here, one at a time, so that one record nobody can read is skipped and logged
 * instead of stopping the views for everyone.
 */
public final class CompactedTopicsReader implements StateFeed, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicsReader.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PARTITIONS_RETRY = Duration.ofMillis(200);

    private final Map<String, Subscription<?>> byTopic = new HashMap<>();
    private final Duration startupTimeout;
    private final Queue<CompletableFuture<Void>> catchUpRequests = new ConcurrentLinkedQueue<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean ready;

    private CompactedTopicsReader(
            List<Subscription<?>> subscriptions,
            Map<String, Object> consumerProperties,
            Duration startupTimeout,
            String threadName) {
        subscriptions.forEach(subscription -> byTopic.put(subscription.topic(), subscription));
        this.startupTimeout = startupTimeout;
        Map<String, Object> props = new HashMap<>(consumerProperties);
        // No group: every instance reads the whole topics and never commits a position.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        Map<TopicPartition, Long> initialEnd;
        try {
            for (String topic : byTopic.keySet()) {
                partitions.addAll(partitions(topic));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            initialEnd = consumer.endOffsets(partitions, startupTimeout);
        } catch (KafkaException | IllegalStateException e) {
            consumer.close(Duration.ZERO);
            throw new IllegalStateException("cannot read " + byTopic.keySet() + ": " + e.getMessage(), e);
        }
        thread = Thread.ofPlatform().name(threadName).daemon().start(() -> run(partitions, initialEnd));
    }

    /**
     * Looks the topics up (waiting up to {@code startupTimeout} for them to exist) and starts reading
     * them on a thread of its own.
     *
     * @param consumerProperties connection and isolation settings; any group id is removed
     * @param threadName the name of the reading thread, for thread dumps
     * @throws IllegalStateException when a topic cannot be found or read in time (start-up fails fast)
     */
    public static CompactedTopicsReader start(
            List<Subscription<?>> subscriptions,
            Map<String, Object> consumerProperties,
            Duration startupTimeout,
            String threadName) {
        return new CompactedTopicsReader(subscriptions, consumerProperties, startupTimeout, threadName);
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public CompletableFuture<Void> catchUp() {
        CompletableFuture<Void> request = new CompletableFuture<>();
        catchUpRequests.add(request);
        return request;
    }

    private List<TopicPartition> partitions(String topic) {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (true) {
            // The topic may be created by the provisioner at this same start-up.
            List<PartitionInfo> infos = consumer.partitionsFor(topic, startupTimeout);
            if (!infos.isEmpty()) {
                return infos.stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            pause(PARTITIONS_RETRY);
        }
    }

    private void run(List<TopicPartition> partitions, Map<TopicPartition, Long> initialEnd) {
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        Map<TopicPartition, Long> waitingAt = null;
        try {
            while (running) {
                try {
                    if (waitingAt == null && !catchUpRequests.isEmpty()) {
                        drainTo(waiting);
                        waitingAt = consumer.endOffsets(partitions, startupTimeout);
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        apply(record);
                    }
                    if (!ready && reached(initialEnd)) {
                        ready = true;
                        LOG.info("read {} up to their end at start-up", byTopic.keySet());
                    }
                    if (waitingAt != null && reached(waitingAt)) {
                        waiting.forEach(request -> request.complete(null));
                        waiting.clear();
                        waitingAt = null;
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warn("reading {}: {}; retrying", byTopic.keySet(), e.getMessage());
                    pause(POLL);
                }
            }
        } catch (WakeupException e) {
            // close() woke the consumer up: leave the loop.
        } finally {
            consumer.close(Duration.ofSeconds(1));
            IllegalStateException stopped = new IllegalStateException("the feed of " + byTopic.keySet() + " stopped");
            waiting.forEach(request -> request.completeExceptionally(stopped));
            catchUpRequests.forEach(request -> request.completeExceptionally(stopped));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            byTopic.get(record.topic()).apply(record.key(), record.value());
        } catch (SerializationException e) {
            // A record no one can read must not stop authentication or validation for everyone else.
            LOG.error(
                    "skipping unreadable record of {}-{} at offset {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e);
        }
    }

    private boolean reached(Map<TopicPartition, Long> offsets) {
        for (Map.Entry<TopicPartition, Long> entry : offsets.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void drainTo(List<CompletableFuture<Void>> waiting) {
        CompletableFuture<Void> request;
        while ((request = catchUpRequests.poll()) != null) {
            waiting.add(request);
        }
    }

    private static void pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops reading; pending {@link #catchUp} calls complete exceptionally. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(5));
    }
}
