package dev.tally.ingest.auth;

import dev.tally.ingest.IngestSettings;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.kafka.TopicProvisioner;
import dev.tally.schemas.avro.ApiKeyRecord;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link ApiKeyCache} equal to the compacted api-keys topic: a background consumer reads
 * every partition from the beginning ({@code read_committed}, no consumer group, nothing committed)
 * and applies each key's latest state, so a revocation takes effect as soon as it is read.
 *
 * <p>The service is ready once the consumer has reached the end offsets seen at start.
 */
@Context
public final class KafkaApiKeyFeed implements ApiKeyFeed {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaApiKeyFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PARTITIONS_RETRY = Duration.ofMillis(200);

    private final ApiKeyCache cache;
    private final Topic<String, ApiKeyRecord> topic;
    private final Map<String, Object> consumerProperties;
    private final IngestSettings settings;
    private final Queue<CompletableFuture<Void>> catchUpRequests = new ConcurrentLinkedQueue<>();
    private KafkaConsumer<String, ApiKeyRecord> consumer;
    private Thread thread;
    private volatile boolean running = true;
    private volatile boolean ready;

    /**
     * @param provisioner asked for so that the compacted topic exists before the consumer looks it up
     */
    public KafkaApiKeyFeed(
            ApiKeyCache cache,
            Topics topics,
            KafkaClientProperties clients,
            IngestSettings settings,
            Optional<TopicProvisioner> provisioner) {
        this.cache = cache;
        this.topic = topics.apiKeys();
        this.settings = settings;
        // No group: every instance reads the whole topic and never commits a position.
        Map<String, Object> props = clients.consumer("unused", settings.clientId() + "-api-keys");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumerProperties = props;
    }

    @PostConstruct
    void start() {
        consumer = new KafkaConsumer<>(
                consumerProperties,
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
        List<TopicPartition> partitions;
        Map<TopicPartition, Long> initialEnd;
        try {
            partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            initialEnd = consumer.endOffsets(partitions, settings.startupTimeout());
        } catch (KafkaException | IllegalStateException e) {
            consumer.close(Duration.ZERO);
            throw new IllegalStateException("cannot read API keys from " + topic.name() + ": " + e.getMessage(), e);
        }
        thread = Thread.ofPlatform().name("tally-ingest-api-keys").daemon().start(() -> run(partitions, initialEnd));
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

    private List<TopicPartition> partitions() {
        long deadline = System.nanoTime() + settings.startupTimeout().toNanos();
        while (true) {
            // The topic may be created by the provisioner at this same start-up.
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), settings.startupTimeout());
            if (!infos.isEmpty()) {
                return infos.stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic.name() + " does not exist");
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
                        waitingAt = consumer.endOffsets(partitions, settings.startupTimeout());
                    }
                    for (ConsumerRecord<String, ApiKeyRecord> record : consumer.poll(POLL)) {
                        cache.apply(record.key(), record.value());
                    }
                    if (!ready && reached(initialEnd)) {
                        ready = true;
                        LOG.info("API keys loaded: {} keys", cache.size());
                    }
                    if (waitingAt != null && reached(waitingAt)) {
                        waiting.forEach(request -> request.complete(null));
                        waiting.clear();
                        waitingAt = null;
                    }
                } catch (RecordDeserializationException e) {
                    // A record no one can read must not stop authentication for everyone else.
                    LOG.error("skipping unreadable API-key record at {} offset {}", e.topicPartition(), e.offset(), e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warn("API-key feed: {}; retrying", e.getMessage());
                    pause(POLL);
                }
            }
        } catch (WakeupException e) {
            // stop() woke the consumer up: leave the loop.
        } finally {
            consumer.close(Duration.ofSeconds(1));
            IllegalStateException stopped = new IllegalStateException("the API-key feed stopped");
            waiting.forEach(request -> request.completeExceptionally(stopped));
            catchUpRequests.forEach(request -> request.completeExceptionally(stopped));
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

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            consumer.wakeup();
            thread.join(Duration.ofSeconds(5));
        }
    }
}
