package dev.tally.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerIT {

    private final KafkaBroker broker = KafkaBroker.shared();

    @Test
    void shouldDeliverCommittedTransactionalRecordsToReadCommittedConsumers() {
        broker.createTopics(2, "testkit-transactions");

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("testkit-transactions", "aborted", "never seen"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("testkit-transactions", "committed", "seen"));
            producer.commitTransaction();
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            consumer.subscribe(List.of("testkit-transactions"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
        }
        assertThat(received).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("committed");
            assertThat(record.value()).isEqualTo("seen");
        });
    }

    @Test
    void shouldLeaveAnExistingTopicAsItIs() throws Exception {
        broker.createTopics(3, "testkit-existing");
        broker.createTopics(1, "testkit-existing");

        try (Admin admin = broker.admin()) {
            int partitions = admin.describeTopics(List.of("testkit-existing"))
                    .allTopicNames()
                    .get()
                    .get("testkit-existing")
                    .partitions()
                    .size();
            assertThat(partitions).isEqualTo(3);
        }
    }

    @Test
    void shouldIgnoreCloseOnTheSharedBroker() {
        broker.close();

        assertThat(KafkaBroker.shared()).isSameAs(broker);
        broker.createTopics(1, "testkit-after-close");
    }

    private Properties producerProperties() {
        Properties props = new Properties();
        props.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "testkit-producer",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class));
        return props;
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "testkit-consumer",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class));
        return props;
    }
}
