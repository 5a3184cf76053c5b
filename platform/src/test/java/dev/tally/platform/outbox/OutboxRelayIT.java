package dev.tally.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tally.platform.database.Migrations;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxRelayIT {

    private static final KafkaBroker BROKER = KafkaBroker.shared();

    private final Outbox outbox = new Outbox("app");
    private final String topic = "outbox-" + UUID.randomUUID();
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        // the outbox table exactly as every module's schema gets it
        Migrations.migrate(dataSource, "app");
        jdbi = Jdbi.create(dataSource);
        BROKER.createTopics(1, topic);
    }

    @Test
    void shouldPublishCommittedRowsInIdOrderAndNeverARolledBackOne() {
        for (int i = 0; i < 5; i++) {
            enqueue("before-" + i);
        }
        assertThatThrownBy(() -> jdbi.useTransaction(handle -> {
                    outbox.enqueue(handle, topic, "k", bytes("rolled-back"));
                    throw new IllegalStateException("the change this record announces failed");
                }))
                .isInstanceOf(IllegalStateException.class);
        for (int i = 0; i < 5; i++) {
            enqueue("after-" + i);
        }

        List<String> received = new ArrayList<>();
        try (OutboxRelay relay = relay();
                KafkaConsumer<String, String> consumer = consumer()) {
            relay.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
                return received.size() >= 10 && unpublished() == 0;
            });
        }

        assertThat(received)
                .containsExactly(
                        "before-0",
                        "before-1",
                        "before-2",
                        "before-3",
                        "before-4",
                        "after-0",
                        "after-1",
                        "after-2",
                        "after-3",
                        "after-4");
        assertThat(unpublished()).isZero();
    }

    @Test
    void shouldPublishNothingTwiceOnceMarked() {
        enqueue("only");
        try (OutboxRelay relay = relay()) {
            assertThat(relay.publishPending()).isEqualTo(1);
            assertThat(relay.publishPending()).isZero();
        }
    }

    private void enqueue(String value) {
        jdbi.useTransaction(handle -> outbox.enqueue(handle, topic, "k", bytes(value)));
    }

    private OutboxRelay relay() {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BROKER.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new ByteArraySerializer());
        return new OutboxRelay(jdbi, outbox, producer, Duration.ofMillis(50), 3);
    }

    private KafkaConsumer<String, String> consumer() {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BROKER.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "reader-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private long unpublished() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM app.outbox WHERE published_at IS NULL")
                .mapTo(Long.class)
                .one());
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
