package dev.tally.billing.finality;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.ledger.UsageLedgerConsumer;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.offsets.TransactionalConsumerLoop;
import dev.tally.schemas.avro.UsageFinality;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads metering's finality watermarks (usage-finality, read_committed) into {@code
 * billing.usage_finality} with the ledger offsets each needs ({@link FinalityRecorder}), exactly
 * once: rows and consumed offsets commit in one transaction.
 */
@Context
public final class UsageFinalityConsumer {

    /** How long a batch waits for the transactions on usage-aggregates to be decided. */
    private static final Duration BOUNDS_TIMEOUT = Duration.ofSeconds(30);

    private final UsageEventPartitions partitions;
    private final LedgerBounds bounds;
    private final TransactionalConsumerLoop<String, UsageFinality> loop;

    public UsageFinalityConsumer(
            BillingDatabase database,
            BillingSettings settings,
            KafkaClientProperties clients,
            Topics topics,
            UsageEventPartitions partitions) {
        this.partitions = partitions;
        if (!settings.workersEnabled()) {
            this.bounds = null;
            this.loop = null;
            return;
        }
        String group = settings.consumerGroup() + "-finality";
        this.bounds =
                bounds(clients, group + "-bounds", topics.usageAggregates().name());
        this.loop = database.consumerLoop(
                clients,
                group,
                group,
                List.of(topics.usageFinality()),
                new FinalityRecorder(
                        bounds,
                        partitions,
                        UsageLedgerConsumer.group(settings),
                        topics.usageAggregates().name()),
                settings.retryBackoff());
    }

    /** The bounds of {@code aggregatesTopic} through clients of their own, as client {@code clientId}. */
    static LedgerBounds bounds(KafkaClientProperties clients, String clientId, String aggregatesTopic) {
        return new LedgerBounds(
                Admin.create(clients.admin()),
                new KafkaConsumer<>(
                        clients.consumer(clientId, clientId), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                aggregatesTopic,
                BOUNDS_TIMEOUT);
    }

    @PostConstruct
    void start() {
        if (loop != null) {
            partitions.refresh();
            loop.start();
        }
    }

    @PreDestroy
    void stop() {
        if (loop != null) {
            loop.close();
            bounds.close();
        }
    }
}
