package dev.tally.billing.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.billing.BillingFixtures;
import dev.tally.platform.offsets.OffsetStore;
import dev.tally.platform.offsets.TransactionalConsumerLoop;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsageLedgerConsumerIT {

    private static final KafkaBroker BROKER = KafkaBroker.shared();
    private static final Instant HOUR = Instant.parse("2026-11-02T10:00:00Z");

    private final String group = "ledger-" + UUID.randomUUID();
    private Topics topics;
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        jdbi = BillingFixtures.migrated().jdbi();
        topics = Topics.create(
                "ledger-" + UUID.randomUUID() + ".",
                SchemaRegistryServer.shared().client());
        BROKER.createTopics(topics, 2);
    }

    @Test
    void shouldRecordEachStatementExactlyOnceAcrossARestartMidStream() {
        // 300 windows and 20 restatements (revision 1), each delivered twice, plus an aborted transaction
        try (var producer = producer("tx-" + group)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 300; i++) {
                UsageAggregate window = aggregate(i, 0, i);
                producer.send(new ProducerRecord<>(topics.usageAggregates().name(), window.getAggregateId(), window));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topics.usageAggregates().name(), "aborted", aggregate(999, 0, 1)));
            producer.abortTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 300; i++) {
                UsageAggregate again = aggregate(i, 0, i);
                producer.send(new ProducerRecord<>(topics.usageAggregates().name(), again.getAggregateId(), again));
            }
            for (int replay = 0; replay < 2; replay++) {
                for (int i = 0; i < 20; i++) {
                    UsageAggregate restated = aggregate(i, 1, i + 1);
                    producer.send(new ProducerRecord<>(
                            topics.usageCorrections().name(), Keys.customer("org_1", "c1"), restated));
                }
            }
            producer.commitTransaction();
        }

        try (var first = loop()) {
            first.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> ledgerRows() > 0);
        }
        try (var second = loop()) {
            second.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> ledgerRows() >= 320 && everythingConsumed());
        }

        assertThat(ledgerRows()).isEqualTo(320);
        assertThat(rowsWhere("kind = 'correction' AND revision = 1 AND aggregate_id LIKE '%#1'"))
                .isEqualTo(20);
        assertThat(rowsWhere("aggregate_id = window_key AND revision = 0")).isEqualTo(300);
        assertThat(rowsWhere("window_start > '2026-12-01T00:00:00Z'")).isZero();
        // each window counts once, at its latest revision: windows 20..299 as first stated, 0..19 restated to i + 1
        List<LedgerEntry> all =
                jdbi.withHandle(h -> h.attach(LedgerPageDao.class).entries("org_1", false, "c1", null, 1000)).stream()
                        .map(LedgerPageDao.Row::entry)
                        .toList();
        BigDecimal merged = jdbi.withHandle(h -> UsageMerge.merge(
                all, windows -> h.attach(WindowValuesDao.class).distinctCount("org_1", false, windows)));
        assertThat(merged).isEqualByComparingTo(BigDecimal.valueOf((20 + 299) * 280 / 2 + 210));
    }

    /** The statement of window {@code hour} (hours after HOUR) at {@code revision}, as metering emits it. */
    private UsageAggregate aggregate(int hour, long revision, int quantity) {
        Instant start = HOUR.plusSeconds(3600L * hour);
        String key = Keys.window("org_1", false, "c1", "ai_call", start.toEpochMilli());
        return UsageAggregate.newBuilder()
                .setOrganizationId("org_1")
                .setCustomerId("c1")
                .setFeature("ai_call")
                .setLivemode(false)
                .setWindowStart(start)
                .setWindowEnd(start.plusSeconds(3600))
                .setQuantity(new BigDecimal(quantity).setScale(9))
                .setEventCount(quantity)
                .setClosed(true)
                .setKind(revision == 0 ? AggregateKind.WINDOW : AggregateKind.CORRECTION)
                .setAggregateId(revision == 0 ? key : key + "#" + revision)
                .setRevision(revision)
                .build();
    }

    private KafkaProducer<String, UsageAggregate> producer(String transactionalId) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BROKER.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        transactionalId,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                topics.usageAggregates().valueSerde().serializer());
    }

    private TransactionalConsumerLoop<String, UsageAggregate> loop() {
        KafkaConsumer<String, UsageAggregate> consumer = new KafkaConsumer<>(
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
                        50),
                new StringDeserializer(),
                topics.usageAggregates().valueSerde().deserializer());
        return new TransactionalConsumerLoop<>(
                jdbi,
                new OffsetStore("billing"),
                group,
                consumer,
                List.of(
                        topics.usageAggregates().name(),
                        topics.usageCorrections().name()),
                UsageLedgerConsumer::apply,
                Duration.ofMillis(100));
    }

    private long rowsWhere(String condition) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM billing.usage_ledger WHERE " + condition)
                .mapTo(Long.class)
                .one());
    }

    private long ledgerRows() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM billing.usage_ledger")
                .mapTo(Long.class)
                .one());
    }

    /** Whether the stored offsets reached the end of every partition (the redeliveries were read too). */
    private boolean everythingConsumed() {
        try (var admin = BROKER.admin()) {
            Map<TopicPartition, OffsetSpec> latest = Stream.of(
                            topics.usageAggregates().name(),
                            topics.usageCorrections().name())
                    .flatMap(t -> IntStream.range(0, 2).mapToObj(p -> new TopicPartition(t, p)))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            long end = admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(info -> info.offset())
                    .sum();
            long stored = jdbi.withHandle(h -> h.createQuery(
                            "SELECT coalesce(sum(next_offset), 0) FROM billing.consumer_offsets WHERE consumer_group = :g")
                    .bind("g", group)
                    .mapTo(Long.class)
                    .one());
            // the last transaction's commit marker occupies one offset after the last record per partition
            return stored >= end - 4;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }
}
