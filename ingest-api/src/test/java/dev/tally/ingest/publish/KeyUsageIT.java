package dev.tally.ingest.publish;

import static dev.tally.ingest.IngestFixture.apiKeyUsages;
import static dev.tally.ingest.IngestFixture.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.ingest.IngestFixture;
import dev.tally.ingest.state.StateFeed;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.avro.ApiKeyUsage;
import dev.tally.schemas.topic.Topics;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The last use of a key reaches api-key-usage in batches, on a real broker and registry. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyUsageIT implements TestPropertyProvider {

    private static final Duration INTERVAL = Duration.ofMillis(500);

    @Inject
    EmbeddedServer server;

    @Inject
    Topics topics;

    @Inject
    StateFeed feed;

    private URI events;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(IngestFixture.properties("key-usage-it."));
        properties.put("tally.ingest.key-usage-interval", INTERVAL.toMillis() + "ms");
        return properties;
    }

    @BeforeAll
    void waitUntilReady() {
        events = server.getURI().resolve("/v1/events");
        await().atMost(Duration.ofSeconds(30)).until(feed::isReady);
    }

    private int postEvent(String key) {
        return post(
                        events,
                        """
                {"customer":"cus_1","feature":"ai_call","quantity":"1"}""",
                        "Authorization",
                        "Bearer " + key,
                        "Content-Type",
                        "application/json")
                .status();
    }

    private List<ApiKeyUsage> usagesOf(String key) {
        return apiKeyUsages(topics).stream()
                .filter(record -> record.key().equals(ApiKeys.hash(key)))
                .map(ConsumerRecord::value)
                .toList();
    }

    @Test
    void shouldPublishTheLastUseOfAKeyWithinTheInterval() {
        String organization = "org_" + UUID.randomUUID().toString().substring(0, 8);
        String used = IngestFixture.publishKey(topics, organization, false, List.of("usage:write"));
        String unused = IngestFixture.publishKey(topics, organization, false, List.of("usage:write"));
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        assertThat(postEvent(used)).isEqualTo(202);
        assertThat(postEvent(used)).isEqualTo(202);
        Instant after = Instant.now();

        // Both requests fall in one round or two; either way the latest published time is one of them.
        await().atMost(INTERVAL.multipliedBy(10))
                .untilAsserted(() -> assertThat(usagesOf(used)).isNotEmpty());
        List<ApiKeyUsage> published = usagesOf(used);
        ApiKeyUsage latest = published.getLast();
        assertThat(latest.getKeyHash()).isEqualTo(ApiKeys.hash(used));
        assertThat(latest.getOrganizationId()).isEqualTo(organization);
        assertThat(latest.getLastUsedAt()).isBetween(before, after);
        assertThat(published).hasSizeLessThanOrEqualTo(2);
        assertThat(usagesOf(unused)).isEmpty();
    }

    @Test
    void shouldPublishTheNewerUseWhenTheKeyIsUsedAgain() {
        String organization = "org_" + UUID.randomUUID().toString().substring(0, 8);
        String key = IngestFixture.publishKey(topics, organization, true, List.of("usage:write"));

        assertThat(postEvent(key)).isEqualTo(202);
        await().atMost(INTERVAL.multipliedBy(10))
                .untilAsserted(() -> assertThat(usagesOf(key)).isNotEmpty());
        Instant first = usagesOf(key).getFirst().getLastUsedAt();
        Instant secondBefore = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        assertThat(postEvent(key)).isEqualTo(202);
        await().atMost(INTERVAL.multipliedBy(10))
                .untilAsserted(() -> assertThat(usagesOf(key).getLast().getLastUsedAt())
                        .isAfterOrEqualTo(secondBefore)
                        .isAfter(first));
    }
}
