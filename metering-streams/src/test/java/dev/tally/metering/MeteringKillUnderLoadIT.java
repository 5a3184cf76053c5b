package dev.tally.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A metering process is killed with SIGKILL three times under a sustained stream of events (with
 * duplicates) and restarted each time on the same state directory, as after a {@code kill -9} of a
 * host:
 *
 * <pre>
 *   load ──────────────────────────────────────────────────────────────────────▶ (stops, drained)
 *   run 1: start → RUNNING → 3 s of load → SIGKILL
 *   run 2: start → RUNNING (catching up the backlog) → SIGKILL at once
 *   run 3: start → SIGKILL at its first health answer (still rebalancing / restoring)
 *   run 4: start → RUNNING → every acknowledged event counted once
 * </pre>
 *
 * Each run must reach RUNNING by itself, readiness must be DOWN (503, the state named) whenever the
 * stream is not RUNNING and UP only when it is, and in the end the windows' latest statements hold
 * exactly the acknowledged events, each statement emitted once (distinct aggregate ids).
 */
class MeteringKillUnderLoadIT {

    private static final int CUSTOMERS = 8;
    private static final BigDecimal QUANTITY = new BigDecimal("1.000000001");
    private static final Pattern STATE = Pattern.compile("\"state\":\"(\\w+)\"");

    private final String prefix = "kill-" + UUID.randomUUID() + ".";
    private final KafkaBroker broker = KafkaBroker.shared();
    private final SchemaRegistryServer registry = SchemaRegistryServer.shared();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger unacknowledged = new AtomicInteger();
    private final ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    private final List<Reading> readings = new ArrayList<>();
    private Process metering;

    /** One answer of /health/readiness: its HTTP status and the stream state it names. */
    private record Reading(int run, int status, String state) {}

    @AfterEach
    void stop() {
        load.shutdownNow();
        if (metering != null) {
            metering.destroyForcibly();
        }
    }

    @Test
    void shouldHealAfterEachSigkillUnderLoadAndCountEveryAcknowledgedEventOnce() throws Exception {
        Path stateDir = Files.createTempDirectory("metering-kill");
        Topics topics;
        try (ApplicationContext settings = ApplicationContext.run(Map.of(
                "tally.kafka.bootstrap-servers",
                broker.bootstrapServers(),
                "tally.kafka.schema-registry-url",
                registry.url(),
                "tally.kafka.topic-prefix",
                prefix,
                "tally.metering.enabled",
                "false"))) {
            topics = settings.getBean(Topics.class);
        }
        broker.createTopics(topics, 4);

        try (KafkaProducer<String, UsageEvent> events = broker.producer(topics.usageEvents())) {
            warmUp(topics, events);
            load.scheduleAtFixedRate(() -> sendBatch(topics, events), 0, 40, TimeUnit.MILLISECONDS);

            // run 1: killed under load once it has been running for a while
            int port = start(stateDir);
            awaitRunning(1, port);
            int before = acknowledged.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= before + 300);
            kill();

            // run 2: killed as soon as it is RUNNING again, while it catches up the backlog
            port = start(stateDir);
            awaitRunning(2, port);
            kill();

            // run 3: killed at its first health answer, before or right as it becomes RUNNING
            port = start(stateDir);
            int firstAnswer = port;
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> read(3, firstAnswer) != null);
            kill();

            // run 4: heals by itself, then the load stops and everything acknowledged is counted
            port = start(stateDir);
            awaitRunning(4, port);
            load.shutdown();
            assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            events.flush();
            assertThat(metrics(port))
                    .contains("tally_metering_not_running_seconds 0.0")
                    .contains("tally_metering_streams_state{state=\"RUNNING\"} 1.0");
        }

        assertThat(readings)
                .as("readiness is UP exactly when the stream is RUNNING")
                .allSatisfy(
                        reading -> assertThat(reading.status() == 200).isEqualTo("RUNNING".equals(reading.state())));
        assertThat(readings)
                .as("readiness was DOWN while a restarted stream was not running yet")
                .anySatisfy(reading -> {
                    assertThat(reading.run()).isGreaterThan(1);
                    assertThat(reading.status()).isEqualTo(503);
                });

        System.out.printf(
                "%d events acknowledged (%d sends failed, not counted)%n", acknowledged.size(), unacknowledged.get());
        assertThat(acknowledged.size()).isGreaterThan(1_000);
        BigDecimal expected = QUANTITY.multiply(BigDecimal.valueOf(acknowledged.size()));
        List<UsageAggregate> usage = new ArrayList<>();
        try (KafkaConsumer<String, UsageAggregate> aggregates = consumer(topics.usageAggregates());
                KafkaConsumer<String, UsageAggregate> corrections = consumer(topics.usageCorrections())) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                aggregates.poll(Duration.ofMillis(200)).forEach(r -> usage.add(r.value()));
                corrections.poll(Duration.ofMillis(200)).forEach(r -> usage.add(r.value()));
                assertThat(latest(usage).eventCount()).isEqualTo(acknowledged.size());
            });
            // and nothing more comes: no window is stated again after the last restart's replay
            await().pollDelay(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> {
                        aggregates.poll(Duration.ofMillis(200)).forEach(r -> usage.add(r.value()));
                        corrections.poll(Duration.ofMillis(200)).forEach(r -> usage.add(r.value()));
                        assertThat(latest(usage).eventCount()).isEqualTo(acknowledged.size());
                    });
        }
        assertThat(latest(usage).total()).isEqualByComparingTo(expected);
        assertThat(usage.stream().map(UsageAggregate::getAggregateId).distinct())
                .as("each statement emitted once")
                .hasSameSizeAs(usage);
    }

    /**
     * One event per customer, each waited for: the first batch of an idempotent producer to a
     * partition created a moment ago can be refused as out of order while later batches pass (seen
     * on the in-process broker), which would leave it retrying until the delivery timeout.
     */
    private void warmUp(Topics topics, KafkaProducer<String, UsageEvent> producer) throws Exception {
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = "evt_warm_" + c;
            String customer = "cus_" + c;
            producer.send(new ProducerRecord<>(
                            topics.usageEvents().name(), Keys.customer("org_k", customer), event(id, customer)))
                    .get(30, TimeUnit.SECONDS);
            acknowledged.add(id);
        }
    }

    /** Four new events, and every second batch a resubmission of an earlier one. */
    private void sendBatch(Topics topics, KafkaProducer<String, UsageEvent> producer) {
        for (int k = 0; k < 4; k++) {
            send(topics, producer, sent.getAndIncrement());
        }
        if (sent.get() % 8 == 0) {
            // the same id, customer and quantity as an event sent a moment ago (answered or not)
            send(topics, producer, sent.get() - 37);
        }
    }

    private void send(Topics topics, KafkaProducer<String, UsageEvent> producer, int i) {
        String customer = "cus_" + (i % CUSTOMERS);
        String id = "evt_" + i;
        producer.send(
                new ProducerRecord<>(
                        topics.usageEvents().name(), Keys.customer("org_k", customer), event(id, customer)),
                (metadata, error) -> {
                    if (error == null) {
                        acknowledged.add(id);
                    } else {
                        unacknowledged.incrementAndGet();
                    }
                });
    }

    private static UsageEvent event(String id, String customer) {
        Instant now = Instant.now();
        return UsageEvent.newBuilder()
                .setEventId(id)
                .setOrganizationId("org_k")
                .setCustomerId(customer)
                .setFeature("ai_call")
                .setQuantity(QUANTITY)
                .setOccurredAt(now)
                .setReceivedAt(now)
                .setProperties(Map.of())
                .setLivemode(true)
                .build();
    }

    private int start(Path stateDir) throws IOException {
        int port = freePort();
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", port);
        props.put("endpoints.health.details-visible", "ANONYMOUS");
        props.put("endpoints.prometheus.sensitive", "false");
        props.put("tally.kafka.bootstrap-servers", broker.bootstrapServers());
        props.put("tally.kafka.schema-registry-url", registry.url());
        props.put("tally.kafka.topic-prefix", prefix);
        props.put("tally.kafka.partitions", 4);
        props.put("tally.metering.application-id", prefix + "metering");
        props.put("tally.metering.window-size", "PT2S");
        props.put("tally.metering.grace", "PT1S");
        props.put("tally.metering.close-interval", "PT0.2S");
        props.put("tally.metering.commit-interval", "PT0.5S");
        props.put("tally.metering.session-timeout", "PT6S");
        props.put("tally.metering.state-dir", stateDir.toString());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                MeteringProcess.class.getName()));
        props.forEach((k, v) -> command.add(k + "=" + v));
        Path log = Files.createTempFile("metering-killed", ".log");
        metering = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return port;
    }

    /** Waits, reading readiness all along, until the run's stream is RUNNING by itself. */
    private void awaitRunning(int run, int port) {
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Reading reading = read(run, port);
                    return reading != null && reading.status() == 200;
                });
        System.out.printf(
                "run %d: readiness UP %d ms after the start of the process%n",
                run, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Reads readiness once and keeps the reading; null while the process does not answer HTTP yet. */
    private Reading read(int run, int port) throws Exception {
        assertThat(metering.isAlive()).as("the metering process runs").isTrue();
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health/readiness"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException notListeningYet) {
            return null;
        }
        Matcher state = STATE.matcher(response.body());
        Reading reading = new Reading(run, response.statusCode(), state.find() ? state.group(1) : "");
        readings.add(reading);
        return reading;
    }

    private String metrics(int port) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** SIGKILL: no shutdown hook, no commit, no close of RocksDB or of the state directory. */
    private void kill() throws InterruptedException {
        metering.destroyForcibly().waitFor();
    }

    private static LatestStatements latest(List<UsageAggregate> usage) {
        LatestStatements latest = new LatestStatements();
        latest.addAll(usage);
        return latest;
    }

    private <V> KafkaConsumer<String, V> consumer(Topic<String, V> topic) {
        return broker.consumer(topic, prefix + "reader-" + topic.name());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
