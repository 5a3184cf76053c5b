package dev.tally.ingest.publish;

import dev.tally.ingest.IngestSettings;
import dev.tally.ingest.auth.KeyUsageTracker;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.kafka.TopicProvisioner;
import dev.tally.schemas.avro.ApiKeyUsage;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the keys' last use to the compacted api-key-usage topic (key = key hash), every
 * {@code tally.ingest.key-usage-interval}: one {@link ApiKeyUsage} per key used since its last
 * acknowledged publication. A small producer of its own (idempotent, {@code acks=all}) keeps this
 * traffic off the events' in-flight bound; requests never wait for it. A failed round is logged and
 * its keys are sent again next round; a last round runs on shutdown.
 */
@Context
public final class KeyUsagePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(KeyUsagePublisher.class);

    private final KeyUsageTracker tracker;
    private final Topic<String, ApiKeyUsage> topic;
    private final Duration interval;
    private final Map<String, Object> producerProperties;
    private KafkaProducer<String, ApiKeyUsage> producer;
    private ScheduledExecutorService scheduler;

    /**
     * @param provisioner asked for so that the compacted topic exists before the producer looks it up
     */
    public KeyUsagePublisher(
            KeyUsageTracker tracker,
            Topics topics,
            KafkaClientProperties clients,
            IngestSettings settings,
            Optional<TopicProvisioner> provisioner) {
        if (settings.keyUsageInterval().isNegative()
                || settings.keyUsageInterval().isZero()) {
            throw new IllegalArgumentException("tally.ingest.key-usage-interval must be positive");
        }
        this.tracker = tracker;
        this.topic = topics.apiKeyUsage();
        this.interval = settings.keyUsageInterval();
        Map<String, Object> props = clients.producer(settings.clientId() + "-key-usage");
        // A round must not hang on a missing broker longer than the interval: it is retried next round.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, interval.toMillis());
        this.producerProperties = props;
    }

    @PostConstruct
    void start() {
        producer = new KafkaProducer<>(
                producerProperties,
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tally-ingest-key-usage").daemon().factory());
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::publishRound, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Sends every pending key's latest use; each acknowledged one stops being pending. */
    void publishRound() {
        List<ApiKeyUsage> pending = tracker.pending();
        for (ApiKeyUsage usage : pending) {
            try {
                producer.send(new ProducerRecord<>(topic.name(), usage.getKeyHash(), usage), (metadata, failure) -> {
                    if (failure == null) {
                        tracker.published(usage);
                    } else {
                        LOG.warn(
                                "publishing the last use of key {} failed: {}; retrying next round",
                                usage.getKeyHash(),
                                failure.getMessage());
                    }
                });
            } catch (KafkaException e) {
                // Nothing more will get through this round; every key stays pending.
                LOG.warn("publishing {} key uses failed: {}; retrying next round", pending.size(), e.getMessage());
                return;
            }
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdown();
            scheduler.awaitTermination(interval.toMillis() * 2, TimeUnit.MILLISECONDS);
        }
        if (producer != null) {
            // The uses noted since the last round would otherwise be lost; a broker that is down
            // must not hold shutdown longer than one interval.
            publishRound();
            producer.close(interval);
        }
    }
}
