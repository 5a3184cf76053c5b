package dev.tally.ingest.bench;

import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.kafka.KafkaSettings;
import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.registry.HttpSchemaRegistryClient;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The raw producer rate the ingest benchmark compares with (a program, not a test): a bare
 * {@link KafkaProducer} with the platform's producer settings (idempotent, {@code acks=all}, lz4)
 * sending, as fast as it can, the records the API would write for the benchmark's events (same
 * Avro serde, same keys) to the same broker. Prints the acknowledged records per second.
 *
 * <p>Reads {@code TALLY_KAFKA_*} from the environment (see {@link BenchBroker}); argument: seconds.
 */
public final class RawProducerRate {

    private RawProducerRate() {}

    /**
     * Sends for 3 s to warm up (JIT, connections, batches), then for the given seconds, and prints
     * {@code RAW <records/s>} of the second part.
     */
    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        KafkaSettings settings = new KafkaSettings(
                System.getenv("TALLY_KAFKA_BOOTSTRAP_SERVERS"),
                System.getenv("TALLY_KAFKA_SCHEMA_REGISTRY_URL"),
                System.getenv("TALLY_KAFKA_TOPIC_PREFIX"),
                Integer.parseInt(System.getenv("TALLY_KAFKA_PARTITIONS")),
                (short) 1,
                false);
        Topics topics = Topics.create(
                settings.topicPrefix(), new HttpSchemaRegistryClient(URI.create(settings.schemaRegistryUrl())));
        Topic<String, UsageEvent> topic = topics.usageEvents();
        Map<String, Object> props = new KafkaClientProperties(settings).producer("bench-raw");
        try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(
                props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            send(producer, topic, Duration.ofSeconds(3));
            System.out.printf("RAW %.0f%n", send(producer, topic, Duration.ofSeconds(seconds)));
        }
    }

    /** Sends for {@code duration} and answers the acknowledged records per second. */
    private static double send(
            KafkaProducer<String, UsageEvent> producer, Topic<String, UsageEvent> topic, Duration duration) {
        BigDecimal quantity = Decimals.quantity(new BigDecimal("1.5"));
        Map<String, String> properties = Map.of("model", "small", "region", "eu-west-1");
        AtomicLong acked = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long n = 0;
        while (System.nanoTime() < deadline) {
            Instant now = Instant.now();
            String customer = "cus_" + (n % 1000);
            UsageEvent event = new UsageEvent(
                    "raw-" + start + "-" + n,
                    BenchBroker.ORGANIZATION,
                    customer,
                    "ai_call",
                    quantity,
                    now,
                    now,
                    properties,
                    true,
                    null);
            producer.send(
                    new ProducerRecord<>(topic.name(), Keys.customer(BenchBroker.ORGANIZATION, customer), event),
                    (metadata, failure) -> {
                        if (failure == null) {
                            acked.incrementAndGet();
                        }
                    });
            n++;
        }
        producer.flush();
        return acked.get() / ((System.nanoTime() - start) / 1e9);
    }
}
