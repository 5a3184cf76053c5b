package dev.tally.billing.tenant;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingSettings;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.offsets.TransactionalConsumerLoop;
import dev.tally.schemas.avro.ApiKeyUsage;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jdbi.v3.core.Handle;

/**
 * Reads api-key-usage (ingest's batched reports of when each key was last used) into
 * {@code api_keys.last_used_at}, never moving it backwards and ignoring unknown keys. Offsets commit
 * in the same transaction as the updates.
 */
@Context
public final class KeyUsageConsumer {

    private final TransactionalConsumerLoop<String, ApiKeyUsage> loop;

    public KeyUsageConsumer(
            BillingDatabase database, BillingSettings settings, KafkaClientProperties clients, Topics topics) {
        String group = settings.consumerGroup() + "-key-usage";
        this.loop = settings.workersEnabled()
                ? database.consumerLoop(
                        clients,
                        group,
                        group,
                        List.of(topics.apiKeyUsage()),
                        KeyUsageConsumer::apply,
                        settings.retryBackoff())
                : null;
    }

    /** Records a batch of key uses through {@code handle}. */
    static void apply(Handle handle, ConsumerRecords<String, ApiKeyUsage> batch) {
        TenantDao dao = new TenantDao(handle);
        for (ConsumerRecord<String, ApiKeyUsage> record : batch) {
            // A tombstone (compaction of a deleted key) carries no use.
            if (record.value() != null) {
                dao.recordUse(record.value().getKeyHash(), record.value().getLastUsedAt());
            }
        }
    }

    @PostConstruct
    void start() {
        if (loop != null) {
            loop.start();
        }
    }

    @PreDestroy
    void stop() {
        if (loop != null) {
            loop.close();
        }
    }
}
