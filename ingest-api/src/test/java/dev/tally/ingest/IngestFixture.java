package dev.tally.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.ApiKeyRecord;
import dev.tally.schemas.avro.ApiKeyUsage;
import dev.tally.schemas.avro.MeterDefinition;
import dev.tally.schemas.avro.OrganizationSettings;
import dev.tally.schemas.avro.UnknownFeaturePolicy;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the ingest ITs share: the real broker and registry of this JVM, and helpers to publish API
 * keys, post over HTTP and read back what reached usage-events.
 */
public final class IngestFixture {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private IngestFixture() {}

    /** Properties pointing the service at the shared broker and registry, with topics under {@code prefix}. */
    public static Map<String, String> properties(String prefix) {
        return properties(KafkaBroker.shared().bootstrapServers(), prefix);
    }

    /** Properties pointing the service at {@code bootstrapServers} and the shared registry. */
    public static Map<String, String> properties(String bootstrapServers, String prefix) {
        return Map.of(
                "tally.kafka.bootstrap-servers",
                bootstrapServers,
                "tally.kafka.schema-registry-url",
                SchemaRegistryServer.shared().url(),
                "tally.kafka.topic-prefix",
                prefix,
                "tally.kafka.partitions",
                "2");
    }

    /** A new key of a new organization with {@code scopes}, published to api-keys; returns the key. */
    public static String publishKey(Topics topics, String organizationId, boolean livemode, List<String> scopes) {
        String key = ApiKeys.generate(livemode);
        publishKeyRecord(topics, key, organizationId, scopes, null);
        return key;
    }

    /** Publishes the state of {@code key}, revoked at {@code revokedAt} when not null. */
    public static void publishKeyRecord(
            Topics topics, String key, String organizationId, List<String> scopes, Instant revokedAt) {
        publishKeyRecord(KafkaBroker.shared().bootstrapServers(), topics, key, organizationId, scopes, revokedAt);
    }

    /** Publishes the state of {@code key} to the broker at {@code bootstrapServers}. */
    public static void publishKeyRecord(
            String bootstrapServers,
            Topics topics,
            String key,
            String organizationId,
            List<String> scopes,
            Instant revokedAt) {
        ApiKeyRecord record = new ApiKeyRecord(
                ApiKeys.hash(key),
                ApiKeys.displayPrefix(key),
                organizationId,
                ApiKeys.isLive(key),
                scopes,
                null,
                revokedAt,
                Instant.now());
        publish(bootstrapServers, topics.apiKeys(), record.getKeyHash(), record);
    }

    /**
     * Publishes a meter of {@code organizationId} for {@code feature} to the meters topic, archived at
     * {@code archivedAt} when not null; returns it.
     */
    public static MeterDefinition publishMeter(
            Topics topics,
            String organizationId,
            boolean livemode,
            String feature,
            Aggregation aggregation,
            String valueProperty,
            Instant archivedAt) {
        Instant now = Instant.now();
        MeterDefinition meter = new MeterDefinition(
                "mtr_" + feature, organizationId, livemode, feature, aggregation, valueProperty, now, archivedAt, now);
        publish(
                KafkaBroker.shared().bootstrapServers(),
                topics.meters(),
                Keys.meter(organizationId, livemode, feature),
                meter);
        return meter;
    }

    /** Publishes the unknown-feature policy of {@code organizationId} to the organizations topic. */
    public static void publishPolicy(Topics topics, String organizationId, UnknownFeaturePolicy policy) {
        publish(
                KafkaBroker.shared().bootstrapServers(),
                topics.organizations(),
                organizationId,
                new OrganizationSettings(organizationId, policy, Instant.now()));
    }

    private static <V> void publish(String bootstrapServers, Topic<String, V> topic, String key, V value) {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic.name(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer: status, headers and the body parsed as JSON (null when empty or not JSON). */
    public record Answer(int status, HttpResponse<String> raw, JsonNode json) {

        /** The error code of an error answer. */
        public String errorCode() {
            return json.path("error").path("code").asText(null);
        }

        /** The field of an error answer. */
        public String errorField() {
            return json.path("error").path("field").asText(null);
        }
    }

    /** POSTs {@code body} to {@code url} with {@code headers} (name, value, name, value, ...). */
    public static Answer post(URI url, String body, String... headers) {
        return post(url, HttpRequest.BodyPublishers.ofString(body), headers);
    }

    /** POSTs {@code body} to {@code url} with {@code headers} (name, value, name, value, ...). */
    public static Answer post(URI url, HttpRequest.BodyPublisher body, String... headers) {
        return send(request(url, body, headers));
    }

    /** POSTs a Stripe-style form-encoded meter event to {@code url} with the key as Bearer token. */
    public static Answer postForm(URI url, String key, String form) {
        return post(url, form, "Authorization", "Bearer " + key, "Content-Type", "application/x-www-form-urlencoded");
    }

    /** POSTs {@code body} without waiting for the answer. */
    public static CompletableFuture<Answer> postAsync(URI url, String body, String... headers) {
        return HTTP.sendAsync(
                        request(url, HttpRequest.BodyPublishers.ofString(body), headers),
                        HttpResponse.BodyHandlers.ofString())
                .thenApply(IngestFixture::answer);
    }

    private static HttpRequest request(URI url, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).POST(body);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request.build();
    }

    /** GETs {@code url}. */
    public static Answer get(URI url) {
        return send(HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build());
    }

    private static Answer send(HttpRequest request) {
        try {
            return answer(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer answer(HttpResponse<String> response) {
        boolean isJson =
                response.headers().firstValue("Content-Type").orElse("").contains("json");
        try {
            JsonNode json = isJson && !response.body().isEmpty() ? JSON.readTree(response.body()) : null;
            return new Answer(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every record on usage-events right now (read_committed, from the beginning). */
    public static List<ConsumerRecord<String, UsageEvent>> usageEvents(Topics topics) {
        return records(topics.usageEvents());
    }

    /** Every record on api-key-usage right now (read_committed, from the beginning). */
    public static List<ConsumerRecord<String, ApiKeyUsage>> apiKeyUsages(Topics topics) {
        return records(topics.apiKeyUsage());
    }

    private static <V> List<ConsumerRecord<String, V>> records(Topic<String, V> topic) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaBroker.shared().bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The records on usage-events of one organization. */
    public static List<UsageEvent> usageEventsOf(Topics topics, String organizationId) {
        return usageEvents(topics).stream()
                .map(ConsumerRecord::value)
                .filter(event -> event.getOrganizationId().equals(organizationId))
                .toList();
    }
}
