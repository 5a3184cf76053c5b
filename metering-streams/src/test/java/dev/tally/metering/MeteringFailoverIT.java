package dev.tally.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.metering.topology.MeteringTopology;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.avro.ApiKeyRecord;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.math.BigDecimal;
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
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances share the partitions; one is killed hard (SIGKILL, mid-transaction) while events
 * and duplicates keep coming. The survivor restores its state from the changelogs and the totals
 * of the windows' latest statements (usage-aggregates, restated on usage-corrections) are exact:
 * nothing lost, nothing counted twice, no statement emitted twice. The
 * usage query keeps answering through the survivor.
 */
class MeteringFailoverIT {

    private static final int CUSTOMERS = 8;
    private static final int EVENTS = 400;
    private static final BigDecimal QUANTITY = new BigDecimal("1.000000001");

    private final String prefix = "failover-" + UUID.randomUUID() + ".";
    private final KafkaBroker broker = KafkaBroker.shared();
    private final SchemaRegistryServer registry = SchemaRegistryServer.shared();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process victim;
    private EmbeddedServer survivor;

    @AfterEach
    void stop() {
        if (victim != null) {
            victim.destroyForcibly();
        }
        if (survivor != null) {
            survivor.getApplicationContext().close();
        }
    }

    @Test
    void shouldKeepTotalsExactAndAnswerQueriesWhenAnInstanceIsKilledHard() throws Exception {
        int victimPort = freePort();
        int survivorPort = freePort();
        victim = startProcess(properties(victimPort, "PT2S"));
        survivor = ApplicationContext.run(EmbeddedServer.class, properties(survivorPort, "PT0.1S"));
        Topics topics = survivor.getApplicationContext().getBean(Topics.class);
        KafkaStreams streams =
                survivor.getApplicationContext().getBean(MeteringStreams.class).streams();
        await().atMost(Duration.ofSeconds(90))
                .until(() -> streams.state() == KafkaStreams.State.RUNNING
                        && streams.metadataForAllStreamsClients().size() == 2);

        String key = ApiKeys.generate(true);
        Instant start = Instant.now();
        try (KafkaProducer<String, UsageEvent> events = producer(topics.usageEvents());
                KafkaProducer<String, ApiKeyRecord> keys = producer(topics.apiKeys())) {
            keys.send(new ProducerRecord<>(topics.apiKeys().name(), ApiKeys.hash(key), apiKey(key, start)));
            for (int i = 0; i < EVENTS / 2; i++) {
                send(topics, events, i);
            }
            events.flush();
            String victimsCustomer = customerOwnedBy(streams, new HostInfo("localhost", victimPort));
            // forwarded to the victim, which answers once the key has reached it and its stores
            // are queryable; until then the only acceptable answer is the retryable 503
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> answeredOrRetryable(get(survivorPort, key, victimsCustomer, start)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> all = get(survivorPort, key, "", start);
                assertThat(all.statusCode()).isEqualTo(200);
                assertThat(eventCount(all.body()))
                        .as("both instances' customers")
                        .isEqualTo(EVENTS / 2);
            });

            victim.destroyForcibly().waitFor();

            for (int i = EVENTS / 2; i < EVENTS; i++) {
                send(topics, events, i);
                // duplicates of events sent before the kill, which the victim may have counted
                if (i % 4 == 0) {
                    send(topics, events, i - EVENTS / 2);
                }
            }
            events.flush();
        }

        BigDecimal expected = QUANTITY.multiply(BigDecimal.valueOf(EVENTS));
        List<UsageAggregate> usage = new ArrayList<>();
        try (KafkaConsumer<String, UsageAggregate> aggregates = consumer(topics.usageAggregates());
                KafkaConsumer<String, UsageAggregate> corrections = consumer(topics.usageCorrections())) {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                aggregates.poll(Duration.ofMillis(200)).forEach(r -> usage.add(r.value()));
                corrections.poll(Duration.ofMillis(200)).forEach(r -> usage.add(r.value()));
                assertThat(total(usage)).isEqualByComparingTo(expected);
            });
            await().pollDelay(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> {
                        aggregates.poll(Duration.ofMillis(200)).forEach(r -> usage.add(r.value()));
                        corrections.poll(Duration.ofMillis(200)).forEach(r -> usage.add(r.value()));
                        assertThat(total(usage)).isEqualByComparingTo(expected);
                    });
        }
        LatestStatements latest = new LatestStatements();
        latest.addAll(usage);
        assertThat(latest.eventCount()).isEqualTo(EVENTS);
        assertThat(usage.stream().map(UsageAggregate::getAggregateId).distinct())
                .hasSameSizeAs(usage);

        for (int c = 0; c < CUSTOMERS; c++) {
            String customer = "cus_" + c;
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                            get(survivorPort, key, customer, start).statusCode())
                    .isEqualTo(200));
        }
    }

    private Map<String, Object> properties(int port, String commitInterval) throws IOException {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", port);
        props.put("tally.kafka.bootstrap-servers", broker.bootstrapServers());
        props.put("tally.kafka.schema-registry-url", registry.url());
        props.put("tally.kafka.topic-prefix", prefix);
        props.put("tally.kafka.partitions", 4);
        props.put("tally.metering.application-id", prefix + "metering");
        props.put("tally.metering.window-size", "PT2S");
        props.put("tally.metering.grace", "PT1S");
        props.put("tally.metering.close-interval", "PT0.2S");
        props.put("tally.metering.commit-interval", commitInterval);
        props.put("tally.metering.session-timeout", "PT6S");
        props.put("tally.metering.advertised-endpoint", "localhost:" + port);
        props.put(
                "tally.metering.state-dir",
                Files.createTempDirectory("metering-failover").toString());
        return props;
    }

    private static Process startProcess(Map<String, Object> properties) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                MeteringProcess.class.getName()));
        properties.forEach((k, v) -> command.add(k + "=" + v));
        Path log = Files.createTempFile("metering-victim", ".log");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static String customerOwnedBy(KafkaStreams streams, HostInfo host) {
        for (int c = 0; c < CUSTOMERS; c++) {
            KeyQueryMetadata metadata = streams.queryMetadataForKey(
                    MeteringTopology.USAGE_BY_HOUR_STORE,
                    Keys.customer("org_f", "cus_" + c),
                    Serdes.String().serializer());
            if (host.equals(metadata.activeHost())) {
                return "cus_" + c;
            }
        }
        throw new AssertionError("the victim owns none of the customers");
    }

    private HttpResponse<String> get(int port, String key, String customer, Instant start) throws Exception {
        String query = "/v1/usage?customer=" + customer + "&window=minute&from=" + start.minusSeconds(120) + "&to="
                + start.plusSeconds(600);
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + query))
                        .header("Authorization", "Bearer " + key)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** True on 200, false on a retryable 503; anything else fails the test at once. */
    private static boolean answeredOrRetryable(HttpResponse<String> response) {
        if (response.statusCode() == 503 && response.body().contains("\"usage_unavailable\"")) {
            return false;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "forwarded query answered " + response.statusCode() + ": " + response.body());
        }
        return true;
    }

    private static long eventCount(String json) {
        return Pattern.compile("\"event_count\":(\\d+)")
                .matcher(json)
                .results()
                .mapToLong(match -> Long.parseLong(match.group(1)))
                .sum();
    }

    private static void send(Topics topics, KafkaProducer<String, UsageEvent> producer, int i) {
        String customer = "cus_" + (i % CUSTOMERS);
        Instant now = Instant.now();
        UsageEvent event = UsageEvent.newBuilder()
                .setEventId("evt_" + i)
                .setOrganizationId("org_f")
                .setCustomerId(customer)
                .setFeature("ai_call")
                .setQuantity(QUANTITY)
                .setOccurredAt(now)
                .setReceivedAt(now)
                .setProperties(Map.of())
                .setLivemode(true)
                .build();
        producer.send(new ProducerRecord<>(topics.usageEvents().name(), Keys.customer("org_f", customer), event));
    }

    private static ApiKeyRecord apiKey(String key, Instant now) {
        return ApiKeyRecord.newBuilder()
                .setKeyHash(ApiKeys.hash(key))
                .setKeyPrefix(ApiKeys.displayPrefix(key))
                .setOrganizationId("org_f")
                .setLivemode(true)
                .setScopes(List.of(dev.tally.metering.query.ApiKeyAuthenticator.USAGE_READ))
                .setUpdatedAt(now)
                .build();
    }

    /** The usage billing gets: each window's highest revision (statements are whole windows). */
    private static BigDecimal total(List<UsageAggregate> usage) {
        LatestStatements latest = new LatestStatements();
        latest.addAll(usage);
        return latest.total();
    }

    private <V> KafkaProducer<String, V> producer(Topic<String, V> topic) {
        return broker.producer(topic);
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
