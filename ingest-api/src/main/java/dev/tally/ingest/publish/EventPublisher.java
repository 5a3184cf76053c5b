package dev.tally.ingest.publish;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.kafka.TopicProvisioner;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends accepted events to usage-events with the one producer of the service (idempotent,
 * {@code acks=all}), created at start-up. {@link #publish} never blocks: the topic's metadata and
 * the value schema are loaded at start-up, metadata never expires, and the bytes awaiting the
 * broker are bounded below the producer's buffer, so {@code send} has nothing to wait for. Past
 * that bound the API answers 503 with Retry-After instead of queueing without bound.
 */
@Context
public final class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    /** Key, headers and batch overhead of one record, on top of its value. */
    private static final int RECORD_OVERHEAD = 96;

    private static final Duration METADATA_RETRY = Duration.ofMillis(200);

    private final Topic<String, UsageEvent> topic;
    private final IngestSettings settings;
    private final Map<String, Object> producerProperties;
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final AtomicLong inFlightRecords = new AtomicLong();
    private KafkaProducer<String, UsageEvent> producer;

    /**
     * @param provisioner asked for so that topics exist before the producer looks them up (a lookup
     *     of a missing topic can make the broker auto-create it with the wrong settings)
     */
    public EventPublisher(
            Topics topics,
            KafkaClientProperties clients,
            IngestSettings settings,
            Optional<TopicProvisioner> provisioner) {
        this.topic = topics.usageEvents();
        this.settings = settings;
        Map<String, Object> props = clients.producer(settings.clientId());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.maxBlock().toMillis());
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) settings.linger().toMillis());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int)
                settings.deliveryTimeout().toMillis());
        props.put(
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) settings.deliveryTimeout().toMillis() / 2);
        // Headroom over the in-flight bound, so that send never waits for buffer space.
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, settings.maxInFlightBytes() * 2 + (1 << 20));
        // Topic metadata loaded at start-up must never expire, or a send would wait to reload it.
        props.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Long.MAX_VALUE / 2);
        this.producerProperties = props;
    }

    @PostConstruct
    void start() {
        producer = new KafkaProducer<>(
                producerProperties,
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
        loadMetadata();
        // Registers the value schema now: a registry that is down or refuses it fails start-up.
        topic.valueSerde().serializer().serialize(topic.name(), sample());
    }

    private void loadMetadata() {
        long deadline = System.nanoTime() + settings.startupTimeout().toNanos();
        while (true) {
            try {
                List<PartitionInfo> partitions = producer.partitionsFor(topic.name());
                if (!partitions.isEmpty()) {
                    LOG.info("producing to {} ({} partitions)", topic.name(), partitions.size());
                    return;
                }
            } catch (KafkaException e) {
                if (System.nanoTime() > deadline) {
                    producer.close(Duration.ZERO);
                    throw new IllegalStateException(
                            "cannot load metadata of " + topic.name() + ": " + e.getMessage(), e);
                }
            }
            if (System.nanoTime() > deadline) {
                producer.close(Duration.ZERO);
                throw new IllegalStateException("topic " + topic.name() + " does not exist");
            }
            try {
                Thread.sleep(METADATA_RETRY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading metadata", e);
            }
        }
    }

    private static UsageEvent sample() {
        Instant now = Instant.now();
        return new UsageEvent(
                "schema-check",
                "org",
                "customer",
                "feature",
                BigDecimal.ZERO.setScale(9),
                now,
                now,
                Map.of(),
                false,
                null);
    }

    /**
     * Sends one event; the future completes once the broker acknowledged it, or exceptionally
     * with an {@link IngestException} ({@code broker_unavailable} or {@code publish_failed}).
     *
     * @param sizeHint about the size of the event in bytes, for the in-flight bound
     * @throws IngestException {@code overloaded} when too many bytes already await the broker
     */
    public CompletableFuture<Void> publish(UsageEvent event, int sizeHint) {
        long size = (long) sizeHint + RECORD_OVERHEAD;
        reserve(size, 1);
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        send(event, size, failure -> {
            if (failure == null) {
                acknowledged.complete(null);
            } else {
                acknowledged.completeExceptionally(failure);
            }
        });
        return acknowledged;
    }

    /**
     * Sends several events as one reservation of the in-flight bound: either all of them are sent,
     * or none is. {@code acks} is told what becomes of each (by its index in {@code events}), on the
     * producer's I/O thread, or on this one for a send that fails at once.
     *
     * @throws IngestException {@code overloaded} when too many bytes already await the broker
     */
    public void publishAll(List<UsageEvent> events, int[] sizeHints, Acknowledgements acks) {
        long total = 0;
        for (int hint : sizeHints) {
            total += hint + RECORD_OVERHEAD;
        }
        reserve(total, events.size());
        for (int i = 0; i < events.size(); i++) {
            int index = i;
            long size = sizeHints[i] + RECORD_OVERHEAD;
            send(events.get(i), size, failure -> {
                if (failure == null) {
                    acks.acknowledged(index);
                } else {
                    acks.failed(index, failure);
                }
            });
        }
    }

    private void reserve(long bytes, int records) {
        long after = inFlightBytes.addAndGet(bytes);
        if (after > settings.maxInFlightBytes() && after != bytes) {
            // A request larger than the whole bound still goes through when nothing else is in flight.
            inFlightBytes.addAndGet(-bytes);
            throw IngestException.retryable(
                    ErrorCode.OVERLOADED,
                    "too many events are awaiting the broker; retry shortly",
                    settings.retryAfter(),
                    null);
        }
        inFlightRecords.addAndGet(records);
    }

    private void send(UsageEvent event, long size, Consumer<IngestException> outcome) {
        String key = Keys.customer(event.getOrganizationId(), event.getCustomerId());
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, event), (metadata, failure) -> {
                release(size);
                outcome.accept(failure == null ? null : failed(failure));
            });
        } catch (KafkaException e) {
            release(size);
            outcome.accept(failed(e));
        }
    }

    private void release(long size) {
        inFlightBytes.addAndGet(-size);
        inFlightRecords.decrementAndGet();
    }

    private IngestException failed(Exception failure) {
        if (failure instanceof RetriableException) {
            return IngestException.retryable(
                    ErrorCode.BROKER_UNAVAILABLE,
                    "the broker did not acknowledge the event in time; nothing was accepted, retry",
                    settings.retryAfter(),
                    failure);
        }
        // the cause only in the log: the broker's message names internals the client cannot act on
        LOG.error("producing to {} failed", topic.name(), failure);
        return IngestException.causedBy(ErrorCode.PUBLISH_FAILED, "the event could not be stored", failure);
    }

    /** Bytes of events sent and not yet acknowledged. */
    public long inFlightBytes() {
        return inFlightBytes.get();
    }

    /** Events sent and not yet acknowledged. */
    public long inFlightRecords() {
        return inFlightRecords.get();
    }

    @PreDestroy
    void stop() {
        if (producer != null) {
            // Lets what is in flight be acknowledged, so their requests get their answers.
            producer.close(settings.deliveryTimeout());
        }
    }
}
