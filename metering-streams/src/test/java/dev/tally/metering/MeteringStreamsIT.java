package dev.tally.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.metering.topology.MeteringTopology;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.ApiKeyRecord;
import dev.tally.schemas.avro.MeterDefinition;
import dev.tally.schemas.avro.RejectedRecord;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The metering application on a real broker and registry, as the launcher runs it: the Micronaut
 * context starts the streams, events go in, a closed window comes out with exactly-once
 * semantics, and a record no one can read becomes a dead letter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeteringStreamsIT {

    private final String prefix = "it-" + UUID.randomUUID() + ".";
    private ApplicationContext context;
    private Topics topics;
    private KafkaBroker broker;
    private EmbeddedServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        broker = KafkaBroker.shared();
        SchemaRegistryServer registry = SchemaRegistryServer.shared();
        Path stateDir = Files.createTempDirectory("metering-it");
        server = ApplicationContext.run(
                EmbeddedServer.class,
                Map.ofEntries(
                        Map.entry("micronaut.server.port", -1),
                        Map.entry("endpoints.prometheus.sensitive", false),
                        Map.entry("tally.kafka.bootstrap-servers", broker.bootstrapServers()),
                        Map.entry("tally.kafka.schema-registry-url", registry.url()),
                        Map.entry("tally.kafka.topic-prefix", prefix),
                        Map.entry("tally.kafka.partitions", 2),
                        Map.entry("tally.metering.application-id", prefix + "metering"),
                        Map.entry("tally.metering.window-size", "PT5S"),
                        Map.entry("tally.metering.grace", "PT2S"),
                        Map.entry("tally.metering.close-interval", "PT0.2S"),
                        Map.entry("tally.metering.commit-interval", "PT0.1S"),
                        Map.entry("tally.metering.state-dir", stateDir.toString())));
        context = server.getApplicationContext();
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
    void shouldEmitClosedWindowOnceWithoutDuplicatesAndDeadLetterTheUnreadable() {
        Instant now = Instant.now();
        try (KafkaProducer<String, UsageEvent> producer = producer(topics.usageEvents());
                KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            send(producer, event("e1", "1.25", now));
            send(producer, event("e2", "2", now));
            send(producer, event("e1", "1.25", now));
            raw.send(new ProducerRecord<>(
                    topics.usageEvents().name(),
                    Keys.customer("org_it", "cus_it").getBytes(StandardCharsets.UTF_8),
                    "garbage".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            raw.flush();
        }

        List<UsageAggregate> usage = new ArrayList<>();
        List<RejectedRecord> rejected = new ArrayList<>();
        try (KafkaConsumer<String, UsageAggregate> aggregates = consumer(topics.usageAggregates());
                KafkaConsumer<String, UsageAggregate> corrections = consumer(topics.usageCorrections());
                KafkaConsumer<String, RejectedRecord> letters = consumer(topics.usageRejected())) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                aggregates.poll(Duration.ofMillis(100)).forEach(r -> usage.add(r.value()));
                corrections.poll(Duration.ofMillis(100)).forEach(r -> usage.add(r.value()));
                usage.removeIf(u -> !u.getOrganizationId().equals("org_it"));
                // other tests' rejections share the topic
                letters.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (Keys.customer("org_it", "cus_it").equals(r.key())) {
                        rejected.add(r.value());
                    }
                });
                assertThat(total(usage)).isEqualByComparingTo("3.25");
                assertThat(rejected).isNotEmpty();
            });
            // nothing is emitted twice: the totals stay put while later windows close
            await().pollDelay(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        for (ConsumerRecord<String, UsageAggregate> r : aggregates.poll(Duration.ofMillis(100))) {
                            usage.add(r.value());
                        }
                        corrections.poll(Duration.ofMillis(100)).forEach(r -> usage.add(r.value()));
                        usage.removeIf(u -> !u.getOrganizationId().equals("org_it"));
                        assertThat(total(usage)).isEqualByComparingTo("3.25");
                    });
        }
        // a slow machine may close the window before the second event arrives: then it is restated
        assertThat(usage)
                .filteredOn(u -> u.getKind() == AggregateKind.WINDOW)
                .isNotEmpty()
                .allSatisfy(window -> {
                    assertThat(window.getClosed()).isTrue();
                    assertThat(window.getAggregateId())
                            .isEqualTo(Keys.window(
                                    "org_it",
                                    true,
                                    "cus_it",
                                    "ai_call",
                                    window.getWindowStart().toEpochMilli()));
                });
        LatestStatements latest = new LatestStatements();
        latest.addAll(usage);
        assertThat(latest.eventCount()).isEqualTo(2);
        assertThat(rejected).singleElement().satisfies(letter -> {
            assertThat(letter.getSourceTopic()).isEqualTo(topics.usageEvents().name());
            assertThat(letter.getReason()).startsWith("undeserializable: ");
        });
    }

    @Test
    void shouldAnswerLiveUsageOnlyToAKeyOfTheOrganizationWithReadScope() throws Exception {
        Instant now = Instant.now();
        String key = ApiKeys.generate(true);
        try (KafkaProducer<String, UsageEvent> producer = producer(topics.usageEvents());
                KafkaProducer<String, ApiKeyRecord> keys = producer(topics.apiKeys())) {
            keys.send(new ProducerRecord<>(
                    topics.apiKeys().name(),
                    ApiKeys.hash(key),
                    ApiKeyRecord.newBuilder()
                            .setKeyHash(ApiKeys.hash(key))
                            .setKeyPrefix(ApiKeys.displayPrefix(key))
                            .setOrganizationId("org_q")
                            .setLivemode(true)
                            .setScopes(List.of("usage:read"))
                            .setUpdatedAt(now)
                            .build()));
            send(producer, event("org_q", "q1", "4.5", now));
            producer.flush();
        }
        String query = "/v1/usage?customer=cus_it&window=hour&from=" + now.minus(Duration.ofHours(2)) + "&to="
                + now.plus(Duration.ofHours(1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> answer = get(query, "Bearer " + key);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body())
                    .contains("\"organization\":\"org_q\"", "\"quantity\":\"4.500000000\"", "\"final_through\"");
        });
        String stranger = readKey("org_stranger");
        assertThat(get(query, "Bearer " + stranger).body()).contains("\"data\":[]");
        HttpResponse<String> twice = get(query + "&customer=cus_other", "Bearer " + key);
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("\"field\":\"customer\"");
        HttpResponse<String> anonymous = get(query, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"code\":\"missing_api_key\"");
        HttpResponse<String> unknown = get(query, "Bearer " + ApiKeys.generate(true));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("\"code\":\"invalid_api_key\"");
    }

    @Test
    void shouldShowARejectedEventToItsOrganizationOnlyAndRefuseANulInAParameter() throws Exception {
        Instant now = Instant.now();
        String key = readKey("org_rj");
        String other = readKey("org_other");
        try (KafkaProducer<String, UsageEvent> producer = producer(topics.usageEvents())) {
            UsageEvent retraction = event("org_rj", "rj1", "0", now);
            retraction.setRetracts("never-sent");
            send(producer, retraction);
            producer.flush();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> answer = get("/v1/events/rejected?customer=cus_it&limit=10", "Bearer " + key);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body())
                    .contains(
                            "\"event_id\":\"rj1\"",
                            "\"customer\":\"cus_it\"",
                            "\"feature\":\"ai_call\"",
                            "\"reason\":\"retraction_target_unknown\"",
                            "\"rejected_at\"",
                            "\"has_more\":false");
        });
        assertThat(get("/v1/events/rejected", "Bearer " + key).body()).contains("\"event_id\":\"rj1\"");
        assertThat(get("/prometheus", null).body())
                .as("counted by reason on /prometheus")
                .containsPattern(
                        "tally_metering_rejected_total\\{[^}]*reason=\"retraction_target_unknown\"[^}]*} [1-9]");
        assertThat(get("/v1/events/rejected", "Bearer " + other).body()).isEqualTo("{\"data\":[],\"has_more\":false}");
        HttpResponse<String> nul = get("/v1/events/rejected?customer=cus%00it", "Bearer " + key);
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(nul.body()).contains("\"code\":\"invalid_parameter\"", "\"field\":\"customer\"");
        assertThat(get("/v1/events/rejected", null).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseEveryHostileQueryParameterOfTheCorpusNamingIt() throws Exception {
        String key = readKey("org_hostile");
        List<String> lines;
        try (var corpus = getClass().getResourceAsStream("/hostile/query-parameters.tsv")) {
            lines = new String(corpus.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .toList();
        }
        assertThat(lines).hasSizeGreaterThan(30);
        for (String line : lines) {
            String[] expected = line.split("\t");
            HttpResponse<String> answer = get(expected[0], "Bearer " + key);
            assertThat(answer.statusCode()).as(expected[0]).isEqualTo(Integer.parseInt(expected[1]));
            assertThat(answer.body())
                    .as(expected[0])
                    .contains("\"code\":\"" + expected[2] + "\"", "\"field\":\"" + expected[3] + "\"");
        }
    }

    /** A live key of {@code organization} with the usage:read scope, published and loaded. */
    private String readKey(String organization) throws Exception {
        String key = ApiKeys.generate(true);
        try (KafkaProducer<String, ApiKeyRecord> keys = producer(topics.apiKeys())) {
            keys.send(new ProducerRecord<>(
                    topics.apiKeys().name(),
                    ApiKeys.hash(key),
                    ApiKeyRecord.newBuilder()
                            .setKeyHash(ApiKeys.hash(key))
                            .setKeyPrefix(ApiKeys.displayPrefix(key))
                            .setOrganizationId(organization)
                            .setLivemode(true)
                            .setScopes(List.of("usage:read"))
                            .setUpdatedAt(Instant.now())
                            .build()));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/v1/events/rejected", "Bearer " + key).statusCode() == 200);
        return key;
    }

    @Test
    void shouldMeterWithAMeterPublishedWhileRunningAndTakeARetractionBackOut() {
        Instant now = Instant.now();
        KafkaStreams streams = context.getBean(MeteringStreams.class).streams();
        try (KafkaProducer<String, MeterDefinition> meters = producer(topics.meters())) {
            meters.send(new ProducerRecord<>(
                    topics.meters().name(),
                    Keys.meter("org_m", true, "gpu"),
                    MeterDefinition.newBuilder()
                            .setMeterId("mtr_gpu")
                            .setOrganizationId("org_m")
                            .setLivemode(true)
                            .setFeature("gpu")
                            .setAggregation(Aggregation.MAX)
                            .setCreatedAt(now)
                            .setUpdatedAt(now)
                            .build()));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> streams.store(StoreQueryParameters.fromNameAndType(
                                        MeteringTopology.METERS_STORE,
                                        QueryableStoreTypes.<String, MeterDefinition>keyValueStore()))
                                .get(Keys.meter("org_m", true, "gpu"))
                        != null);
        try (KafkaProducer<String, UsageEvent> producer = producer(topics.usageEvents())) {
            send(producer, gpu("g1", "3", now));
            send(producer, gpu("g2", "9", now));
            UsageEvent retraction = gpu("g3", "0", now);
            retraction.setRetracts("g2");
            send(producer, retraction);
            producer.flush();
        }

        LatestStatements latest = new LatestStatements();
        List<UsageAggregate> seen = new ArrayList<>();
        try (KafkaConsumer<String, UsageAggregate> aggregates =
                        broker.consumer(topics.usageAggregates(), prefix + "meter-reader-aggregates");
                KafkaConsumer<String, UsageAggregate> corrections =
                        broker.consumer(topics.usageCorrections(), prefix + "meter-reader-corrections")) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                aggregates.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
                corrections.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
                seen.removeIf(u -> !u.getOrganizationId().equals("org_m"));
                assertThat(seen).isNotEmpty();
                latest.addAll(seen);
                // a slow machine may close the window before the retraction: then it is restated
                assertThat(latest.total()).isEqualByComparingTo("3");
            });
        }
        assertThat(seen).allSatisfy(u -> assertThat(u.getAggregation()).isEqualTo(Aggregation.MAX));
        assertThat(latest.eventCount()).isEqualTo(1);
    }

    private static UsageEvent gpu(String id, String quantity, Instant at) {
        UsageEvent event = event("org_m", id, quantity, at);
        event.setFeature("gpu");
        return event;
    }

    private HttpResponse<String> get(String pathAndQuery, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURL() + pathAndQuery))
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The usage billing gets: each window's highest revision. */
    private static BigDecimal total(List<UsageAggregate> usage) {
        LatestStatements latest = new LatestStatements();
        latest.addAll(usage);
        return latest.total();
    }

    private void send(KafkaProducer<String, UsageEvent> producer, UsageEvent event) {
        producer.send(new ProducerRecord<>(
                topics.usageEvents().name(), Keys.customer(event.getOrganizationId(), event.getCustomerId()), event));
    }

    private static UsageEvent event(String id, String quantity, Instant at) {
        return event("org_it", id, quantity, at);
    }

    private static UsageEvent event(String organization, String id, String quantity, Instant at) {
        return UsageEvent.newBuilder()
                .setEventId(id)
                .setOrganizationId(organization)
                .setCustomerId("cus_it")
                .setFeature("ai_call")
                .setQuantity(new BigDecimal(quantity).setScale(9))
                .setOccurredAt(at)
                .setReceivedAt(at)
                .setProperties(Map.of())
                .setLivemode(true)
                .build();
    }

    private <V> KafkaProducer<String, V> producer(Topic<String, V> topic) {
        return broker.producer(topic);
    }

    private <V> KafkaConsumer<String, V> consumer(Topic<String, V> topic) {
        return broker.consumer(topic, prefix + "reader-" + topic.name());
    }
}
