package dev.tally.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.avro.UsageFinality;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import io.micronaut.context.ApplicationContext;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The finality watermarks on a real broker: as the wall clock closes windows, every usage-events
 * partition publishes its watermark on usage-finality (read committed), only ever forward, and a
 * window is on usage-aggregates once the watermark of its partition passed its end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeteringFinalityIT {

    private static final int PARTITIONS = 2;

    private final String prefix = "finality-" + UUID.randomUUID() + ".";
    private final KafkaBroker broker = KafkaBroker.shared();
    private ApplicationContext context;
    private Topics topics;

    @BeforeAll
    void start() throws Exception {
        context = ApplicationContext.run(Map.ofEntries(
                Map.entry("micronaut.server.port", -1),
                Map.entry("tally.kafka.bootstrap-servers", broker.bootstrapServers()),
                Map.entry(
                        "tally.kafka.schema-registry-url",
                        SchemaRegistryServer.shared().url()),
                Map.entry("tally.kafka.topic-prefix", prefix),
                Map.entry("tally.kafka.partitions", PARTITIONS),
                Map.entry("tally.metering.application-id", prefix + "metering"),
                Map.entry("tally.metering.window-size", "PT2S"),
                Map.entry("tally.metering.grace", "PT1S"),
                Map.entry("tally.metering.close-interval", "PT0.2S"),
                Map.entry("tally.metering.commit-interval", "PT0.1S"),
                Map.entry(
                        "tally.metering.state-dir",
                        Files.createTempDirectory("metering-finality-it").toString())));
        topics = context.getBean(Topics.class);
        KafkaStreams streams = context.getBean(MeteringStreams.class).streams();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void shouldPublishEveryPartitionsWatermarkForwardAsWindowsClose() {
        Instant occurred = Instant.now();
        try (KafkaProducer<String, UsageEvent> producer = broker.producer(topics.usageEvents())) {
            UsageEvent event = event(occurred);
            producer.send(new ProducerRecord<>(
                    topics.usageEvents().name(),
                    Keys.customer(event.getOrganizationId(), event.getCustomerId()),
                    event));
            producer.flush();
        }

        Map<Integer, List<UsageFinality>> byPartition = new HashMap<>();
        List<UsageAggregate> closed = new ArrayList<>();
        try (KafkaConsumer<String, UsageFinality> finality =
                        broker.consumer(topics.usageFinality(), prefix + "finality-reader");
                KafkaConsumer<String, UsageAggregate> aggregates =
                        broker.consumer(topics.usageAggregates(), prefix + "aggregates-reader")) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ConsumerRecord<String, UsageFinality> record : finality.poll(Duration.ofMillis(100))) {
                    assertThat(record.key())
                            .isEqualTo(Keys.finality(record.value().getPartition()));
                    byPartition
                            .computeIfAbsent(record.value().getPartition(), p -> new ArrayList<>())
                            .add(record.value());
                }
                aggregates.poll(Duration.ofMillis(100)).forEach(r -> closed.add(r.value()));
                assertThat(byPartition).containsOnlyKeys(0, 1);
                // the event's window closed: every partition's watermark passed its end, and it is out
                assertThat(byPartition.values()).allSatisfy(watermarks -> assertThat(
                                watermarks.getLast().getClosedThrough())
                        .isAfter(occurred.plusSeconds(2)));
                assertThat(closed).singleElement().satisfies(window -> assertThat(window.getQuantity())
                        .isEqualByComparingTo("4"));
            });
        }
        assertThat(byPartition.values()).allSatisfy(watermarks -> {
            assertThat(watermarks).hasSizeGreaterThan(1);
            List<Instant> through =
                    watermarks.stream().map(UsageFinality::getClosedThrough).toList();
            assertThat(through).isSorted().doesNotHaveDuplicates();
        });
    }

    private static UsageEvent event(Instant at) {
        return UsageEvent.newBuilder()
                .setEventId("e1")
                .setOrganizationId("org_fin")
                .setCustomerId("cus_fin")
                .setFeature("ai_call")
                .setQuantity(new BigDecimal("4").setScale(9))
                .setOccurredAt(at)
                .setReceivedAt(at)
                .setProperties(Map.of())
                .setLivemode(true)
                .build();
    }
}
