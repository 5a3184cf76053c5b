package dev.tally.metering.bench;

import static org.awaitility.Awaitility.await;

import dev.tally.metering.MeteringSettings;
import dev.tally.metering.StreamsProperties;
import dev.tally.metering.topology.MeteringTopology;
import dev.tally.platform.kafka.KafkaSettings;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Events/s through one metering instance (exactly_once_v2, dedup, billing windows, live minute and
 * hour windows) against a bare read_committed consumer on the same topic, and state size per
 * distinct series. A program, not a test: run it on a quiet machine, briefly.
 *
 * <p>Arguments: {@code events keys[,keys...] runs} (defaults {@code 300000 10000,100000 3}).
 */
public final class MeteringBenchmark {

    private static final int PARTITIONS = 4;
    /** Records sent but not yet acknowledged, at most: keeps the input from swamping the broker. */
    private static final int MAX_IN_FLIGHT_RECORDS = 50_000;

    private MeteringBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        String[] keyCounts = (args.length > 1 ? args[1] : "10000,100000").split(",");
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // -Dbench.bootstrap=host:port measures against a broker in its own process (fairer on 2 cores)
        String external = System.getProperty("bench.bootstrap");
        String bootstrap = external != null ? external : KafkaBroker.shared().bootstrapServers();
        SchemaRegistryServer registry = SchemaRegistryServer.shared();
        System.out.printf(
                "events=%d partitions=%d runs=%d cores=%d%n",
                events, PARTITIONS, runs, Runtime.getRuntime().availableProcessors());
        for (String keyCount : keyCounts) {
            int keys = Integer.parseInt(keyCount);
            List<Double> streams = new ArrayList<>();
            List<Double> bare = new ArrayList<>();
            List<Double> bytesPerMillion = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                Result result = run(bootstrap, registry, events, keys);
                streams.add(result.streamsRate());
                bare.add(result.bareRate());
                bytesPerMillion.add(result.stateBytes() * 1_000_000.0 / keys);
                System.out.printf(
                        "keys=%d run=%d streams=%.0f/s bare=%.0f/s ratio=%.2f state=%.1f MB%n",
                        keys,
                        run,
                        result.streamsRate(),
                        result.bareRate(),
                        result.streamsRate() / result.bareRate(),
                        result.stateBytes() / 1e6);
            }
            System.out.printf(
                    "MEDIAN keys=%d streams=%.0f/s bare=%.0f/s ratio=%.2f state/1M series=%.0f MB%n",
                    keys, median(streams), median(bare), median(streams) / median(bare), median(bytesPerMillion) / 1e6);
        }
        System.exit(0);
    }

    private record Result(double streamsRate, double bareRate, long stateBytes) {}

    private static Result run(String bootstrap, SchemaRegistryServer registry, int events, int keys) throws Exception {
        String prefix = "bench-" + UUID.randomUUID() + ".";
        Topics topics = Topics.create(prefix, registry.client());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> created = topics.all().stream()
                    .map(topic -> new NewTopic(topic.name(), PARTITIONS, (short) 1)
                            .configs(
                                    topic.compacted()
                                            ? Map.of(
                                                    TopicConfig.CLEANUP_POLICY_CONFIG,
                                                    TopicConfig.CLEANUP_POLICY_COMPACT)
                                            : Map.of()))
                    .toList();
            admin.createTopics(created).all().get();
        }
        long written = produce(bootstrap, topics, events, keys);

        double bareRate = consumeAll(bootstrap, topics.usageEvents().name(), written);

        Path stateDir = Files.createTempDirectory("metering-bench");
        MeteringSettings settings = new MeteringSettings(
                prefix + "metering",
                Duration.ofHours(1),
                Duration.ofMinutes(10),
                Duration.ofDays(35),
                Duration.ofSeconds(1),
                2,
                Duration.ofSeconds(1),
                stateDir.toString(),
                128L << 20,
                32L << 20,
                Duration.ofDays(40),
                "",
                0,
                Duration.ofSeconds(45));
        KafkaSettings kafka = new KafkaSettings(bootstrap, registry.url(), prefix, PARTITIONS, (short) 1, false);
        Properties props = StreamsProperties.of(settings, kafka, topics);
        KafkaStreams streams = new KafkaStreams(MeteringTopology.build(topics, settings), props);
        double streamsSeconds;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            streams.start();
            // the group's join and the stores' creation are start-up, not throughput
            await().atMost(Duration.ofMinutes(2)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
            long start = System.nanoTime();
            awaitCommitted(admin, settings.applicationId(), topics.usageEvents().name(), written);
            streamsSeconds = (System.nanoTime() - start) / 1e9;
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
        return new Result(written / streamsSeconds, bareRate, directorySize(stateDir));
    }

    /**
     * Writes the input and answers how many records the topic holds. Every send is acknowledged or
     * fails the run: records used to be sent without a callback, so a failed batch was lost
     * silently and the bare consumer then waited, with no deadline, for a count that could not
     * come (the stalls at 100,000 series). The failures were {@code OutOfOrderSequenceException}s:
     * the in-process broker shares this JVM and two cores with other builds, a GC pause or a
     * starved broker thread can outlast the default request timeout (30 s), and an idempotent
     * producer whose in-flight batch expires leaves a sequence gap the broker refuses every later
     * batch of that partition for. So requests may take minutes, batches never expire, and at most
     * a bounded number of records is in flight.
     */
    private static long produce(String bootstrap, Topics topics, int events, int keys)
            throws InterruptedException, ExecutionException {
        Instant now = Instant.now();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT_RECORDS);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        // one request at a time: the topic is brand new, and a first batch refused
                        // while its partition opens, retried after a later batch was appended, is an
                        // OutOfOrderSequenceException the producer never recovers from
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                        1,
                        ProducerConfig.LINGER_MS_CONFIG,
                        10,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        131_072,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4",
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        (int) Duration.ofMinutes(5).toMillis(),
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        Integer.MAX_VALUE,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        Duration.ofMinutes(5).toMillis()),
                topics.usageEvents().keySerde().serializer(),
                topics.usageEvents().valueSerde().serializer())) {
            for (int i = 0; i < events && failure.get() == null; i++) {
                int series = i % keys;
                String customer = "cus_" + (series / 4);
                UsageEvent event = UsageEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setOrganizationId("org_bench")
                        .setCustomerId(customer)
                        .setFeature("feature_" + (series % 4))
                        .setQuantity(new BigDecimal("1.500000000"))
                        .setOccurredAt(now)
                        .setReceivedAt(now)
                        .setProperties(Collections.emptyMap())
                        .setLivemode(true)
                        .build();
                inFlight.acquire();
                producer.send(
                        new ProducerRecord<>(topics.usageEvents().name(), Keys.customer("org_bench", customer), event),
                        (metadata, exception) -> {
                            inFlight.release();
                            if (exception != null) {
                                failure.compareAndSet(null, exception);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the benchmark input could not be written", failure.get());
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return endOffsets(admin, topics.usageEvents().name());
        }
    }

    /** Records/s of a bare consumer, timed from its first records (the group join excluded). */
    private static double consumeAll(String bootstrap, String topic, long events) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "bare-" + UUID.randomUUID(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        2000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long seen = 0;
            long counted = 0;
            long start = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (seen < events) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the bare consumer read " + seen + " of " + events + " records");
                }
                int count = consumer.poll(Duration.ofMillis(200)).count();
                if (count == 0) {
                    continue;
                }
                if (start == 0) {
                    start = System.nanoTime();
                } else {
                    counted += count;
                }
                seen += count;
            }
            return counted / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static long endOffsets(Admin admin, String topic) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(partitions).all().get().values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                .sum();
    }

    private static void awaitCommitted(Admin admin, String group, String topic, long events) {
        await().pollInterval(Duration.ofMillis(50))
                .atMost(Duration.ofMinutes(10))
                .until(() -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get();
                    return committed.entrySet().stream()
                                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                                    .mapToLong(e -> e.getValue().offset())
                                    .sum()
                            >= events;
                });
    }

    private static long directorySize(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> {
                        try {
                            return Files.size(file);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
