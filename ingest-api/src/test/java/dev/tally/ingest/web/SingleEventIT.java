package dev.tally.ingest.web;

import static dev.tally.ingest.IngestFixture.post;
import static dev.tally.ingest.IngestFixture.usageEvents;
import static dev.tally.ingest.IngestFixture.usageEventsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.ingest.IngestFixture;
import dev.tally.ingest.IngestFixture.Answer;
import dev.tally.ingest.state.StateFeed;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topics;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** POST /v1/events with one event, on a real broker and registry. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleEventIT implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Inject
    Topics topics;

    @Inject
    StateFeed feed;

    private URI events;

    @Override
    public Map<String, String> getProperties() {
        return IngestFixture.properties("single-it.");
    }

    @BeforeAll
    void waitUntilReady() {
        events = server.getURI().resolve("/v1/events");
        await().atMost(Duration.ofSeconds(30)).until(feed::isReady);
    }

    private static String newOrganization() {
        return "org_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String writeKey(String organization, boolean livemode) {
        return IngestFixture.publishKey(topics, organization, livemode, List.of("usage:write"));
    }

    private Answer postEvent(String key, String body) {
        return post(events, body, "Authorization", "Bearer " + key, "Content-Type", "application/json");
    }

    @Test
    void shouldWriteTheEventToUsageEventsAndAnswer202() {
        String organization = newOrganization();
        String key = writeKey(organization, false);
        String id = "evt-" + UUID.randomUUID();
        Instant occurredAt = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);

        Answer answer = postEvent(
                key,
                """
                {"id":"%s","customer":"cus_1","feature":"ai_call","quantity":"2.5",
                 "timestamp":"%s","properties":{"model":"small"},
                 "organizationId":"someone_else"}"""
                        .formatted(id, occurredAt));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().get("id").asText()).isEqualTo(id);
        assertThat(answer.json().get("status").asText()).isEqualTo("accepted");
        // 202 comes after the broker's ack: the record is already there.
        ConsumerRecord<String, UsageEvent> record = usageEvents(topics).stream()
                .filter(r -> r.value().getEventId().equals(id))
                .findFirst()
                .orElseThrow();
        assertThat(record.key()).isEqualTo(Keys.customer(organization, "cus_1"));
        UsageEvent event = record.value();
        assertThat(event.getOrganizationId()).isEqualTo(organization);
        assertThat(event.getCustomerId()).isEqualTo("cus_1");
        assertThat(event.getFeature()).isEqualTo("ai_call");
        assertThat(event.getQuantity()).isEqualTo(new BigDecimal("2.500000000"));
        assertThat(event.getLivemode()).isFalse();
        assertThat(event.getProperties()).isEqualTo(Map.of("model", "small"));
        assertThat(event.getOccurredAt()).isEqualTo(occurredAt);
        assertThat(event.getReceivedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
    }

    @Test
    void shouldGenerateAnIdAndCarryLivemodeFromTheKey() {
        String organization = newOrganization();
        String key = writeKey(organization, true);

        Answer answer = postEvent(key, "{\"customer\":\"cus_2\",\"feature\":\"ai_call\",\"quantity\":1}");

        assertThat(answer.status()).isEqualTo(202);
        String id = answer.json().get("id").asText();
        assertThat(id).isNotBlank();
        List<UsageEvent> written = usageEventsOf(topics, organization);
        assertThat(written).singleElement().satisfies(event -> {
            assertThat(event.getEventId()).isEqualTo(id);
            assertThat(event.getLivemode()).isTrue();
            assertThat(event.getQuantity()).isEqualTo(new BigDecimal("1.000000000"));
        });
    }

    @Test
    void shouldWriteARetractionWithZeroQuantityOnTheRetractedEventsKey() {
        String organization = newOrganization();
        String key = writeKey(organization, true);
        assertThat(postEvent(key, "{\"id\":\"usage-1\",\"customer\":\"cus_9\",\"feature\":\"ai_call\",\"quantity\":4}")
                        .status())
                .isEqualTo(202);

        Answer answer = postEvent(
                key, "{\"id\":\"cancel-1\",\"retracts\":\"usage-1\",\"customer\":\"cus_9\",\"feature\":\"ai_call\"}");
        Answer again = postEvent(
                key, "{\"id\":\"cancel-1\",\"retracts\":\"usage-1\",\"customer\":\"cus_9\",\"feature\":\"ai_call\"}");
        Answer withQuantity = postEvent(
                key, "{\"retracts\":\"usage-1\",\"customer\":\"cus_9\",\"feature\":\"ai_call\",\"quantity\":4}");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().get("id").asText()).isEqualTo("cancel-1");
        assertThat(again.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(withQuantity.status()).isEqualTo(400);
        assertThat(withQuantity.errorCode()).isEqualTo("unexpected_field");
        assertThat(withQuantity.errorField()).isEqualTo("quantity");
        List<ConsumerRecord<String, UsageEvent>> written = usageEvents(topics).stream()
                .filter(r -> r.value().getOrganizationId().equals(organization)
                        && r.value().getEventId().equals("cancel-1"))
                .toList();
        assertThat(written).hasSize(1);
        ConsumerRecord<String, UsageEvent> record = written.get(0);
        assertThat(record.key()).isEqualTo(Keys.customer(organization, "cus_9"));
        assertThat(record.value().getRetracts()).isEqualTo("usage-1");
        assertThat(record.value().getQuantity()).isEqualTo(new BigDecimal("0E-9"));
        assertThat(record.value().getLivemode()).isTrue();
        assertThat(record.value().getOccurredAt()).isEqualTo(record.value().getReceivedAt());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "{\"customer\":\"c\",\"feature\":\"f\",                  ; invalid_json       ;",
                "{\"feature\":\"f\",\"quantity\":1}                      ; missing_field      ; customer",
                "{\"customer\":\"c\",\"quantity\":1}                     ; missing_field      ; feature",
                "{\"customer\":\"c\",\"feature\":\"f\"}                  ; missing_field      ; quantity",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":-3}  ; negative_quantity  ; quantity",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1.0000000001} ; too_many_decimals ; quantity",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":[1]} ; invalid_type       ; quantity",
                "{\"customer\":\"a|b\",\"feature\":\"f\",\"quantity\":1} ; invalid_identifier ; customer"
            })
    void shouldAnswer400AndProduceNothingForBadInput(String body, String code, String field) {
        String organization = newOrganization();
        String key = writeKey(organization, false);

        Answer answer = postEvent(key, body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo(code);
        assertThat(answer.errorField()).isEqualTo(field);
        assertThat(answer.json().path("error").path("message").asText()).isNotBlank();
        // A good event after the bad one: once it is on the topic, anything produced before would be too.
        Answer marker = postEvent(key, "{\"id\":\"marker\",\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1}");
        assertThat(marker.status()).isEqualTo(202);
        assertThat(usageEventsOf(topics, organization))
                .extracting(UsageEvent::getEventId)
                .containsExactly("marker");
    }

    @Test
    void shouldAnswer401ForAMissingMalformedOrUnknownKey() {
        String body = "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1}";

        Answer missing = post(events, body, "Content-Type", "application/json");
        Answer malformed = postEvent("not-a-key", body);
        Answer unknown = postEvent(ApiKeys.generate(true), body);

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.errorCode()).isEqualTo("missing_api_key");
        assertThat(malformed.status()).isEqualTo(401);
        assertThat(malformed.errorCode()).isEqualTo("invalid_api_key");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.errorCode()).isEqualTo("invalid_api_key");
    }

    @Test
    void shouldAnswer401ForAKeyWithoutUsageWrite() {
        String key = IngestFixture.publishKey(topics, newOrganization(), true, List.of("usage:read"));

        Answer answer = postEvent(key, "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1}");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("insufficient_scope");
    }

    @Test
    void shouldStopAcceptingAKeyOnceRevoked() {
        String organization = newOrganization();
        String key = writeKey(organization, true);
        String body = "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1}";
        assertThat(postEvent(key, body).status()).isEqualTo(202);

        IngestFixture.publishKeyRecord(topics, key, organization, List.of("usage:write"), Instant.now());

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Answer answer = postEvent(key, body);
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.errorCode()).isEqualTo("api_key_revoked");
        });
    }
}
