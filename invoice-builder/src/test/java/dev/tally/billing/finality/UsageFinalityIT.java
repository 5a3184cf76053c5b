package dev.tally.billing.finality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.billing.BillingFixtures;
import dev.tally.billing.ledger.UsageLedgerConsumer;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.kafka.KafkaSettings;
import dev.tally.platform.offsets.OffsetStore;
import dev.tally.platform.offsets.TransactionalConsumerLoop;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Usage finality on the real broker and PostgreSQL, with metering played by a transactional
 * producer that sends, per usage-events partition, the closed windows and the watermark in one
 * transaction (as UsageMeter does), two partitions everywhere.
 *
 * <pre>
 * metering p0  ──tx[3 windows + watermark 11:00]──────────────── tx[watermark 12:00, no window] ──▶
 * metering p1  ──────tx[1 window + watermark 10:00]──────────────────────────────────────────────▶
 * ledger       stopped ........................ started: applies the 4 windows
 * finalThrough empty (ledger behind) .......... 10:00 (min of 11:00, 10:00) ..... still 10:00
 * </pre>
 */
class UsageFinalityIT {

    private static final KafkaBroker BROKER = KafkaBroker.shared();
    private static final Instant T10 = Instant.parse("2026-11-02T10:00:00Z");
    private static final Instant T11 = T10.plusSeconds(3600);
    private static final Instant T12 = T11.plusSeconds(3600);

    private final String ledgerGroup = "ledger-" + UUID.randomUUID();
    private final String finalityGroup = "finality-" + UUID.randomUUID();
    private final List<AutoCloseable> running = new ArrayList<>();
    private Topics topics;
    private KafkaClientProperties clients;
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        jdbi = BillingFixtures.migrated().jdbi();
        String prefix = "finality-" + UUID.randomUUID() + ".";
        topics = Topics.create(prefix, SchemaRegistryServer.shared().client());
        BROKER.createTopics(topics, 2);
        clients = new KafkaClientProperties(new KafkaSettings(
                BROKER.bootstrapServers(), SchemaRegistryServer.shared().url(), prefix, 2, (short) 1, false));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : running.reversed()) {
            closeable.close();
        }
    }

    @Test
    void shouldTrustWatermarksOnlyOnceTheLedgerHoldsTheirWindowsAndTakeTheMinimumOverPartitions() {
        startFinalityConsumer();
        UsageFinality finality = finality();

        meter(0, T11, window("c1", T10), window("c2", T10), window("c3", T10));
        meter(1, T10, window("c4", T10.minusSeconds(3600)));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(finality.snapshot().partitions())
                        .extracting(FinalitySnapshot.Partition::closedThrough)
                        .containsExactly(T11, T10));
        // both watermarks are in, but the ledger holds none of their windows: nothing is final
        FinalitySnapshot behind = finality.snapshot();
        assertThat(behind.finalThrough()).isEmpty();
        assertThat(behind.partitions()).noneMatch(FinalitySnapshot.Partition::effective);

        startLedger();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> finality.finalThrough().isPresent());
        // final means every window the watermarks cover is in the ledger
        assertThat(ledgerRows()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(finality.finalThrough()).contains(T10));
        assertThat(finality.snapshot().partitions()).allMatch(FinalitySnapshot.Partition::effective);
    }

    @Test
    void shouldKeepFinalityUnknownWhileAPartitionNeverReported() {
        startFinalityConsumer();
        startLedger();
        UsageFinality finality = finality();

        meter(0, T11, window("c1", T10));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        finality.snapshot().partitions())
                .containsExactly(
                        new FinalitySnapshot.Partition(0, T11, T11), new FinalitySnapshot.Partition(1, null, null)));
        assertThat(ledgerRows()).isEqualTo(1);
        assertThat(finality.finalThrough()).isEmpty();
    }

    @Test
    void shouldKeepFinalityAcrossARestartAndAdvanceOnAWatermarkThatClosesNoWindow() throws Exception {
        startFinalityConsumer();
        startLedger();
        UsageFinality before = finality();
        meter(0, T11, window("c1", T10));
        meter(1, T11, window("c2", T10));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(before.finalThrough()).contains(T11));
        tearDown();
        running.clear();

        // a new process: the stored rows and offsets alone give the same answer
        UsageFinality restarted = finality();
        assertThat(restarted.finalThrough()).contains(T11);

        // a quiet deployment: the watermarks move on with no window (the aggregates partitions end on
        // commit markers the ledger never stores past) and are final at once
        startFinalityConsumer();
        startLedger();
        meter(0, T12);
        meter(1, T12);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(restarted.finalThrough()).contains(T12));
        assertThat(ledgerRows()).isEqualTo(2);
        assertThat(rows("billing.usage_finality"))
                .as("the watermarks the newer ones made useless are gone")
                .isEqualTo(2);
    }

    /** Metering's usage-events partition {@code partition} closes {@code windows} through {@code through}. */
    private void meter(int partition, Instant through, UsageAggregate... windows) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BROKER.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "metering-" + UUID.randomUUID(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (UsageAggregate window : windows) {
                send(producer, topics.usageAggregates(), window.getAggregateId(), window);
            }
            var watermark = dev.tally.schemas.avro.UsageFinality.newBuilder()
                    .setPartition(partition)
                    .setClosedThrough(through)
                    .setProducedAt(Instant.now())
                    .build();
            send(producer, topics.usageFinality(), Keys.finality(partition), watermark);
            producer.commitTransaction();
        }
    }

    private static <V> void send(KafkaProducer<String, byte[]> producer, Topic<String, V> topic, String key, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        producer.send(new ProducerRecord<>(topic.name(), key, bytes));
    }

    private static UsageAggregate window(String customer, Instant start) {
        String key = Keys.window("org_1", false, customer, "ai_call", start.toEpochMilli());
        return UsageAggregate.newBuilder()
                .setOrganizationId("org_1")
                .setCustomerId(customer)
                .setFeature("ai_call")
                .setLivemode(false)
                .setWindowStart(start)
                .setWindowEnd(start.plusSeconds(3600))
                .setQuantity(new BigDecimal(2).setScale(9))
                .setEventCount(2)
                .setClosed(true)
                .setKind(AggregateKind.WINDOW)
                .setAggregateId(key)
                .setRevision(0)
                .build();
    }

    private UsageFinality finality() {
        UsageEventPartitions partitions = new UsageEventPartitions(clients, topics);
        running.add(partitions::close);
        return new UsageFinality(
                jdbi, partitions, ledgerGroup, topics.usageAggregates().name());
    }

    private void startFinalityConsumer() {
        UsageEventPartitions partitions = new UsageEventPartitions(clients, topics);
        LedgerBounds bounds = UsageFinalityConsumer.bounds(
                clients, finalityGroup + "-bounds", topics.usageAggregates().name());
        TransactionalConsumerLoop<String, dev.tally.schemas.avro.UsageFinality> loop = new TransactionalConsumerLoop<>(
                jdbi,
                new OffsetStore("billing"),
                finalityGroup,
                new KafkaConsumer<>(
                        clients.consumer(finalityGroup, finalityGroup),
                        topics.usageFinality().keySerde().deserializer(),
                        topics.usageFinality().valueSerde().deserializer()),
                List.of(topics.usageFinality().name()),
                new FinalityRecorder(
                        bounds,
                        partitions,
                        ledgerGroup,
                        topics.usageAggregates().name()),
                Duration.ofMillis(100));
        running.add(partitions::close);
        running.add(bounds);
        running.add(loop);
        loop.start();
    }

    private void startLedger() {
        TransactionalConsumerLoop<String, UsageAggregate> loop = new TransactionalConsumerLoop<>(
                jdbi,
                new OffsetStore("billing"),
                ledgerGroup,
                new KafkaConsumer<>(
                        clients.consumer(ledgerGroup, ledgerGroup),
                        topics.usageAggregates().keySerde().deserializer(),
                        topics.usageAggregates().valueSerde().deserializer()),
                List.of(
                        topics.usageAggregates().name(),
                        topics.usageCorrections().name()),
                UsageLedgerConsumer::apply,
                Duration.ofMillis(100));
        running.add(loop);
        loop.start();
    }

    private long ledgerRows() {
        return rows("billing.usage_ledger");
    }

    private long rows(String table) {
        return jdbi.withHandle(h ->
                h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }
}
