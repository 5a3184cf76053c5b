package dev.tally.ingest.state;

import dev.tally.ingest.IngestSettings;
import dev.tally.ingest.auth.ApiKeyCache;
import dev.tally.ingest.meter.MeterCatalog;
import dev.tally.ingest.meter.OrganizationPolicies;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.kafka.TopicProvisioner;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The API's whole state, read into memory from three compacted topics by one consumer: api-keys
 * into {@link ApiKeyCache}, meters into {@link MeterCatalog}, organizations into
 * {@link OrganizationPolicies}. No database round trip per request; a revoked key, a new or archived
 * meter, a changed policy take effect as soon as they are read, without a restart.
 */
@Context
public final class KafkaStateFeed implements StateFeed {

    private final List<Subscription<?>> subscriptions;
    private final Map<String, Object> consumerProperties;
    private final IngestSettings settings;
    private CompactedTopicsReader reader;

    /**
     * @param provisioner asked for so that the compacted topics exist before the consumer looks them up
     */
    public KafkaStateFeed(
            ApiKeyCache keys,
            MeterCatalog meters,
            OrganizationPolicies organizations,
            Topics topics,
            KafkaClientProperties clients,
            IngestSettings settings,
            Optional<TopicProvisioner> provisioner) {
        this.subscriptions = List.of(
                Subscription.of(topics.apiKeys(), keys::apply),
                Subscription.of(topics.meters(), meters::apply),
                Subscription.of(topics.organizations(), organizations::apply));
        this.consumerProperties = clients.consumer("unused", settings.clientId() + "-state");
        this.settings = settings;
    }

    @PostConstruct
    void start() {
        reader = CompactedTopicsReader.start(
                subscriptions, consumerProperties, settings.startupTimeout(), "tally-ingest-state");
    }

    @Override
    public boolean isReady() {
        return reader.isReady();
    }

    @Override
    public CompletableFuture<Void> catchUp() {
        return reader.catchUp();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (reader != null) {
            reader.close();
        }
    }
}
