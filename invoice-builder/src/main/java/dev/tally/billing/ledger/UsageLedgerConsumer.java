package dev.tally.billing.ledger;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingSettings;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.offsets.TransactionalConsumerLoop;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads usage-aggregates and usage-corrections into the usage ledger, exactly once: each batch's
 * rows and its offsets commit in one PostgreSQL transaction, and a record already received (the
 * same part of the same statement) changes nothing (see {@link LedgerDao#record}). Records may come
 * in any order: a window's revision 0 on usage-aggregates after its restatements on
 * usage-corrections.
 */
@Context
public final class UsageLedgerConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(UsageLedgerConsumer.class);

    private final TransactionalConsumerLoop<String, UsageAggregate> loop;

    public UsageLedgerConsumer(
            BillingDatabase database, BillingSettings settings, KafkaClientProperties clients, Topics topics) {
        String group = group(settings);
        this.loop = settings.workersEnabled()
                ? database.consumerLoop(
                        clients,
                        group,
                        group,
                        List.of(topics.usageAggregates(), topics.usageCorrections()),
                        UsageLedgerConsumer::apply,
                        settings.retryBackoff())
                : null;
    }

    /**
     * The ledger's consumer group, whose offsets in {@code billing.consumer_offsets} say how far the
     * ledger has read (usage finality compares them with what its watermarks need).
     */
    public static String group(BillingSettings settings) {
        return settings.consumerGroup() + "-ledger";
    }

    /** Records a batch of aggregates in the ledger through {@code handle}. */
    public static void apply(Handle handle, ConsumerRecords<String, UsageAggregate> batch) {
        LedgerDao ledger = new LedgerDao(handle);
        for (ConsumerRecord<String, UsageAggregate> record : batch) {
            if (record.value() == null) {
                LOG.warn("{}-{}@{}: empty value ignored", record.topic(), record.partition(), record.offset());
                continue;
            }
            ledger.record(record.value(), record.topic(), record.partition(), record.offset());
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
