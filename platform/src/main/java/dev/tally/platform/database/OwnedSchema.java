package dev.tally.platform.database;

import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.offsets.BatchHandler;
import dev.tally.platform.offsets.OffsetStore;
import dev.tally.platform.offsets.TransactionalConsumerLoop;
import dev.tally.platform.outbox.Outbox;
import dev.tally.platform.outbox.OutboxRelay;
import dev.tally.schemas.topic.Topic;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL schema one module owns, migrated (see {@link Migrations}) as soon as it is
 * constructed, with that schema's {@link OffsetStore} and {@link Outbox}.
 *
 * <p>Each module subclasses it as a {@code @Context} bean that every repository and worker of the
 * module depends on, so the schema is migrated at start-up before anything uses it. Its workers
 * come from here too: {@link #outboxRelay} and {@link #consumerLoop}.
 */
public abstract class OwnedSchema {

    private final Jdbi jdbi;
    private final OffsetStore offsets;
    private final Outbox outbox;

    /** Migrates {@code schema} on {@code dataSource}, then serves it through {@code jdbi}. */
    protected OwnedSchema(DataSource dataSource, Jdbi jdbi, String schema) {
        int applied = Migrations.migrate(dataSource, schema);
        // logged under the module's class, as each module logged its own migrations
        LoggerFactory.getLogger(getClass()).info("schema {}: {} migrations applied", schema, applied);
        this.jdbi = jdbi;
        this.offsets = new OffsetStore(schema);
        this.outbox = new Outbox(schema);
    }

    /** The Jdbi of the shared database. */
    public final Jdbi jdbi() {
        return jdbi;
    }

    /** The consumed-offsets store of this schema. */
    public final OffsetStore offsets() {
        return offsets;
    }

    /** The transactional outbox of this schema. */
    public final Outbox outbox() {
        return outbox;
    }

    /**
     * A relay (not yet started) that publishes this schema's outbox through a producer of its own,
     * with client id {@code clientId}; the relay closes the producer.
     */
    public final OutboxRelay outboxRelay(
            KafkaClientProperties clients, String clientId, Duration pollInterval, int batchSize) {
        return new OutboxRelay(
                jdbi,
                outbox,
                new KafkaProducer<>(clients.producer(clientId), new StringSerializer(), new ByteArraySerializer()),
                pollInterval,
                batchSize);
    }

    /**
     * A loop (not yet started) that consumes {@code topics} in {@code group} and applies each batch
     * in one transaction with its offsets, stored in this schema. The topics carry the same types,
     * so the first one's serdes read them all; the loop closes its consumer.
     */
    public final <K, V> TransactionalConsumerLoop<K, V> consumerLoop(
            KafkaClientProperties clients,
            String group,
            String clientId,
            List<Topic<K, V>> topics,
            BatchHandler<K, V> handler,
            Duration retryBackoff) {
        Topic<K, V> first = topics.getFirst();
        return new TransactionalConsumerLoop<>(
                jdbi,
                offsets,
                group,
                new KafkaConsumer<>(
                        clients.consumer(group, clientId),
                        first.keySerde().deserializer(),
                        first.valueSerde().deserializer()),
                topics.stream().map(Topic::name).toList(),
                handler,
                retryBackoff);
    }
}
