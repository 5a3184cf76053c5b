package dev.tally.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.metering.health.MeteringLiveness;
import dev.tally.metering.health.MeteringReadiness;
import dev.tally.testkit.KafkaBroker;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A stream thread that fails (here: a processor throwing on a poison value, with a RocksDB store and
 * exactly-once, like metering's) makes the supervisor close the whole client and start a fresh one
 * on the same state directory, without an operator; readiness is DOWN meanwhile and liveness stays
 * UP. A stream that keeps failing is given up loudly: both DOWN; so is a stream thread stuck
 * without failing, while a client that only waits (and polls) is left to wait.
 */
class MeteringStreamsRecoveryIT {

    /** How many more times the poison value fails its processor (shared with the stream threads). */
    private static final AtomicInteger POISON_FAILURES = new AtomicInteger();
    /** A stall timeout no test reaches. */
    private static final Duration NEVER = Duration.ofHours(1);

    private final KafkaBroker broker = KafkaBroker.shared();
    private final String prefix = "recovery-" + UUID.randomUUID() + ".";
    private final String input = prefix + "in";
    private final String output = prefix + "out";
    private final CountDownLatch released = new CountDownLatch(1);
    private MeteringStreams streams;

    @AfterEach
    void stop() {
        released.countDown();
        if (streams != null) {
            streams.stop();
        }
    }

    @Test
    void shouldStartAFreshClientAfterAThreadFailureAndBeNotReadyMeanwhile() throws Exception {
        broker.createTopics(2, input, output);
        POISON_FAILURES.set(1);
        streams = new MeteringStreams(
                this::client, new ThreadFailures(3, Duration.ofMinutes(1)), Duration.ofSeconds(2), NEVER);
        streams.start();
        KafkaStreams first = streams.streams();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == State.RUNNING);
        assertThat(status(new MeteringReadiness(streams))).isEqualTo(HealthStatus.UP);

        send("a", "1", "a", "poison", "b", "1");

        List<HealthResult> whileDown = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    HealthResult readiness = result(new MeteringReadiness(streams));
                    boolean down = readiness.getStatus().equals(HealthStatus.DOWN);
                    if (down) {
                        whileDown.add(readiness);
                        assertThat(status(new MeteringLiveness(streams)))
                                .as("alive while healing")
                                .isEqualTo(HealthStatus.UP);
                    }
                    return down && streams.notRunningFor().compareTo(Duration.ZERO) > 0;
                });
        assertThat(((Map<?, ?>) whileDown.getLast().getDetails()).get("state")).isNotEqualTo("RUNNING");

        await().atMost(Duration.ofSeconds(90))
                .until(() -> streams.streams() != first && streams.state() == State.RUNNING);
        assertThat(streams.restarts()).isEqualTo(1);
        assertThat(streams.gaveUp()).isFalse();
        assertThat(streams.notRunningFor()).isZero();
        assertThat(status(new MeteringReadiness(streams))).isEqualTo(HealthStatus.UP);
        assertThat(first.state()).isEqualTo(State.ERROR);

        // the poison record is processed again by the fresh client (it was never committed) and the
        // counts are exact: nothing lost, nothing doubled across the failure
        send("b", "1");
        Map<String, String> latest = new java.util.HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
                assertThat(latest).containsEntry("a", "2").containsEntry("b", "2");
            });
        }
    }

    @Test
    void shouldRestoreStateThatRocksDbCannotOpenAfterAKillFromTheChangelog() throws Exception {
        broker.createTopics(1, input, output);
        streams = new MeteringStreams(
                this::client, new ThreadFailures(3, Duration.ofMinutes(1)), Duration.ofSeconds(2), NEVER);
        streams.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == State.RUNNING);
        send("a", "1", "a", "1");
        Map<String, String> latest = new java.util.HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
                assertThat(latest).containsEntry("a", "2");
            });
        }
        streams.stop();
        // what a SIGKILL while RocksDB creates a store leaves: log files, no CURRENT or MANIFEST
        Path store;
        try (var files = Files.walk(Path.of(stateDir()))) {
            store = files.filter(f -> f.getFileName().toString().equals("counts") && Files.isDirectory(f))
                    .findFirst()
                    .orElseThrow();
        }
        try (var files = Files.list(store)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().endsWith(".log")) {
                    Files.delete(file);
                }
            }
        }
        Files.writeString(store.resolve("000017.log"), "torn");

        streams = new MeteringStreams(
                this::client, new ThreadFailures(3, Duration.ofMinutes(1)), Duration.ofSeconds(2), NEVER);
        streams.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> streams.state() == State.RUNNING);

        // the count goes on from the changelog: nothing lost, nothing doubled
        send("a", "1");
        try (KafkaConsumer<String, String> consumer = consumer()) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
                assertThat(latest).containsEntry("a", "3");
            });
        }
    }

    @Test
    void shouldGiveUpLoudlyWhenTheStreamKeepsFailing() throws Exception {
        broker.createTopics(2, input, output);
        POISON_FAILURES.set(Integer.MAX_VALUE);
        streams = new MeteringStreams(
                this::client, new ThreadFailures(1, Duration.ofMinutes(10)), Duration.ofMillis(100), NEVER);
        streams.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == State.RUNNING);

        send("a", "poison");

        await().atMost(Duration.ofSeconds(120)).until(streams::gaveUp);
        assertThat(streams.restarts()).isEqualTo(1);
        assertThat(status(new MeteringLiveness(streams))).isEqualTo(HealthStatus.DOWN);
        assertThat(status(new MeteringReadiness(streams))).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void shouldNotTakeAClientThatPollsForStalled() {
        broker.createTopics(2, input, output);
        // nothing listens at its bootstrap address: it stays REBALANCING, but its thread polls
        streams = new MeteringStreams(
                () -> client("127.0.0.1:1"),
                new ThreadFailures(3, Duration.ofMinutes(1)),
                Duration.ofMillis(100),
                Duration.ofSeconds(2));
        streams.start();

        await().during(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(15))
                .until(() -> streams.restarts() == 0 && streams.state() == State.REBALANCING);
        assertThat(status(new MeteringReadiness(streams))).isEqualTo(HealthStatus.DOWN);
        assertThat(status(new MeteringLiveness(streams))).isEqualTo(HealthStatus.UP);
    }

    @Test
    void shouldGiveUpLoudlyWhenAStreamThreadIsStuck() throws Exception {
        broker.createTopics(2, input, output);
        // the processor's init blocks the stream thread while its task starts (client REBALANCING,
        // no polls), as a thread waiting on a dead state updater did
        streams = new MeteringStreams(
                this::stuckClient,
                new ThreadFailures(3, Duration.ofMinutes(1)),
                Duration.ofMillis(100),
                Duration.ofSeconds(2));
        streams.start();

        await().atMost(Duration.ofSeconds(90)).until(streams::gaveUp);
        assertThat(streams.restarts()).isZero();
        assertThat(status(new MeteringLiveness(streams))).isEqualTo(HealthStatus.DOWN);
        assertThat(status(new MeteringReadiness(streams))).isEqualTo(HealthStatus.DOWN);
    }

    /** A client whose processor's init waits until the test ends. */
    private KafkaStreams stuckClient() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .process(() -> new Processor<String, String, Void, Void>() {
                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        try {
                            released.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public void process(Record<String, String> record) {}
                });
        return new KafkaStreams(builder.build(), properties(broker.bootstrapServers()));
    }

    /** Counts values per key in a RocksDB store; the poison value fails the processor while failures are left. */
    private KafkaStreams client() {
        return client(broker.bootstrapServers());
    }

    private KafkaStreams client(String bootstrapServers) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .peek((key, value) -> {
                    if (value.equals("poison") && POISON_FAILURES.getAndDecrement() > 0) {
                        throw new IllegalStateException("poison");
                    }
                })
                .groupByKey()
                .count(Materialized.as("counts"))
                .toStream()
                .mapValues(String::valueOf)
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return new KafkaStreams(builder.build(), properties(bootstrapServers));
    }

    private Properties properties(String bootstrapServers) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "app");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2000);
        return props;
    }

    private final AtomicReference<String> stateDir = new AtomicReference<>();

    /** One state directory for every client of a test, as after a restart of metering. */
    private String stateDir() {
        return stateDir.updateAndGet(dir -> {
            try {
                return dir != null
                        ? dir
                        : Files.createTempDirectory("metering-recovery").toString();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void send(String... keysAndValues) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                producer.send(new ProducerRecord<>(input, keysAndValues[i], keysAndValues[i + 1]));
            }
        }
    }

    private KafkaConsumer<String, String> consumer() {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        prefix + "reader",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(output));
        return consumer;
    }

    private static HealthStatus status(HealthIndicator indicator) {
        return result(indicator).getStatus();
    }

    /** The indicator's (synchronous) result. */
    private static HealthResult result(HealthIndicator indicator) {
        AtomicReference<HealthResult> result = new AtomicReference<>();
        indicator.getResult().subscribe(new Subscriber<HealthResult>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                subscription.request(1);
            }

            @Override
            public void onNext(HealthResult next) {
                result.set(next);
            }

            @Override
            public void onError(Throwable error) {
                throw new AssertionError(error);
            }

            @Override
            public void onComplete() {}
        });
        return result.get();
    }
}
