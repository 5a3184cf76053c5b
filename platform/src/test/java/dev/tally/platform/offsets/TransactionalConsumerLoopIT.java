package dev.tally.platform.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionalConsumerLoopIT {

    private static final KafkaBroker BROKER = KafkaBroker.shared();

    private final OffsetStore store = new OffsetStore("app");
    private final String topic = "loop-" + UUID.randomUUID();
    private final String group = "group-" + UUID.randomUUID();
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        jdbi = OffsetsTestSupport.database();
        BROKER.createTopics(2, topic);
    }

    @Test
    void shouldProcessEveryRecordExactlyOnceAcrossARestart() throws Exception {
        produce(0, 200);
        try (var first = loop(TransactionalConsumerLoopIT::insert)) {
            first.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> processed() > 0);
        }
        // stopped mid-stream (or just after): the second instance must resume where the first committed
        produce(200, 300);
        try (var second = loop(TransactionalConsumerLoopIT::insert)) {
            second.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> processed() >= 300);
        }

        assertThat(processed()).isEqualTo(300);
        assertThat(distinctValues()).isEqualTo(300);
        assertThat(storedNextOffsets()).isEqualTo(300);
        assertThat(kafkaCommittedOffsets())
                .as("Kafka group offsets are never the source of truth")
                .isEmpty();
    }

    @Test
    void shouldRetryARolledBackBatchWithoutApplyingItTwice() {
        produce(0, 20);
        AtomicBoolean failed = new AtomicBoolean();
        BatchHandler<String, String> failOnce = (handle, batch) -> {
            insert(handle, batch);
            if (failed.compareAndSet(false, true)) {
                throw new IllegalStateException("crash inside the batch's transaction");
            }
        };
        try (var loop = loop(failOnce)) {
            loop.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> processed() >= 20);
        }

        assertThat(failed).isTrue();
        assertThat(processed()).isEqualTo(20);
        assertThat(distinctValues()).isEqualTo(20);
    }

    private TransactionalConsumerLoop<String, String> loop(BatchHandler<String, String> handler) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BROKER.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        25),
                new StringDeserializer(),
                new StringDeserializer());
        return new TransactionalConsumerLoop<>(
                jdbi, store, group, consumer, List.of(topic), handler, Duration.ofMillis(100));
    }

    private static void insert(Handle handle, ConsumerRecords<String, String> batch) {
        for (ConsumerRecord<String, String> record : batch) {
            handle.createUpdate("INSERT INTO app.processed (topic, partition, record_offset, value)"
                            + " VALUES (:topic, :partition, :offset, :value)")
                    .bind("topic", record.topic())
                    .bind("partition", record.partition())
                    .bind("offset", record.offset())
                    .bind("value", record.value())
                    .execute();
        }
    }

    private void produce(int from, int to) {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BROKER.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private long processed() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM app.processed")
                .mapTo(Long.class)
                .one());
    }

    private long distinctValues() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(DISTINCT value) FROM app.processed")
                .mapTo(Long.class)
                .one());
    }

    private long storedNextOffsets() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT coalesce(sum(next_offset), 0) FROM app.consumer_offsets WHERE consumer_group = :g")
                .bind("g", group)
                .mapTo(Long.class)
                .one());
    }

    private Map<?, ?> kafkaCommittedOffsets() throws ExecutionException, InterruptedException {
        try (Admin admin = BROKER.admin()) {
            return admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
        }
    }
}
