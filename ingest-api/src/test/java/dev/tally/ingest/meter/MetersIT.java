package dev.tally.ingest.meter;

import static dev.tally.ingest.IngestFixture.post;
import static dev.tally.ingest.IngestFixture.postForm;
import static dev.tally.ingest.IngestFixture.usageEventsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ingest.IngestFixture;
import dev.tally.ingest.IngestFixture.Answer;
import dev.tally.ingest.state.StateFeed;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.UnknownFeaturePolicy;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Topics;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Events checked against the organizations' meters and unknown-feature policies, read from the
 * compacted meters and organizations topics of a real broker while the API runs.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetersIT implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Inject
    Topics topics;

    @Inject
    StateFeed feed;

    @Inject
    OrganizationPolicies policies;

    private URI events;

    @Override
    public Map<String, String> getProperties() {
        return IngestFixture.properties("meters-it.");
    }

    @BeforeAll
    void waitUntilReady() {
        events = server.getURI().resolve("/v1/events");
        await().atMost(Duration.ofSeconds(30)).until(feed::isReady);
    }

    private record Tenant(String organization, String key) {}

    /** A live-mode tenant whose unknown-feature policy is already in memory. */
    private Tenant tenant(UnknownFeaturePolicy policy) {
        String organization = "org_" + UUID.randomUUID().toString().substring(0, 8);
        String key = IngestFixture.publishKey(topics, organization, true, List.of("usage:write"));
        IngestFixture.publishPolicy(topics, organization, policy);
        await().atMost(Duration.ofSeconds(10)).until(() -> policies.unknownFeature(organization) == policy);
        return new Tenant(organization, key);
    }

    private Answer postJson(Tenant tenant, String body) {
        return post(events, body, "Authorization", "Bearer " + tenant.key(), "Content-Type", "application/json");
    }

    private static String event(String id, String feature, String properties) {
        return "{\"id\":\"" + id + "\",\"customer\":\"cus_1\",\"feature\":\"" + feature
                + "\",\"quantity\":1,\"properties\":" + properties + "}";
    }

    @Test
    void shouldRejectAnUnknownFeatureUntilItsMeterIsCreatedAndAgainOnceArchivedWithoutRestart() {
        Tenant tenant = tenant(UnknownFeaturePolicy.REJECT);

        Answer before = postJson(tenant, event("before", "ai_call", "{}"));
        IngestFixture.publishMeter(topics, tenant.organization(), true, "ai_call", Aggregation.SUM, null, null);
        Answer created = postJson(tenant, event("created", "ai_call", "{}"));
        IngestFixture.publishMeter(
                topics, tenant.organization(), true, "ai_call", Aggregation.SUM, null, Instant.now());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Answer archived = postJson(tenant, event("archived", "ai_call", "{}"));
            assertThat(archived.status()).isEqualTo(400);
            assertThat(archived.errorCode()).isEqualTo("unknown_feature");
        });

        assertThat(before.status()).isEqualTo(400);
        assertThat(before.errorCode()).isEqualTo("unknown_feature");
        assertThat(before.errorField()).isEqualTo("feature");
        // The feed is caught up before an unknown feature is rejected: a meter published before the
        // request is always seen.
        assertThat(created.status()).isEqualTo(202);
        assertThat(usageEventsOf(topics, tenant.organization()))
                .extracting(UsageEvent::getEventId)
                .containsExactly("created");
    }

    @Test
    void shouldAcceptAnUnknownFeatureUnderAcceptAsSum() {
        Tenant tenant = tenant(UnknownFeaturePolicy.ACCEPT_AS_SUM);

        Answer answer = postJson(tenant, event("free", "never_metered", "{}"));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(usageEventsOf(topics, tenant.organization()))
                .extracting(UsageEvent::getFeature)
                .containsExactly("never_metered");
    }

    @Test
    void shouldRejectEventsOfABatchThatLackOrMisspellTheirMetersProperty() {
        Tenant tenant = tenant(UnknownFeaturePolicy.REJECT);
        IngestFixture.publishMeter(topics, tenant.organization(), true, "tokens", Aggregation.SUM, "count", null);
        IngestFixture.publishMeter(
                topics, tenant.organization(), true, "users", Aggregation.UNIQUE_COUNT, "user_id", null);
        String batch = "["
                + String.join(
                        ",",
                        event("ok", "tokens", "{\"count\":\"12.5\"}"),
                        event("missing", "tokens", "{\"other\":\"1\"}"),
                        event("invalid", "tokens", "{\"count\":\"twelve\"}"),
                        event("user", "users", "{\"user_id\":\"u-1\"}"),
                        event("no-user", "users", "{}"),
                        event("unknown", "nope", "{}"))
                + "]";

        // No wait for the meters: before rejecting an unknown feature the feed catches up.
        Answer answer = postJson(tenant, batch);

        assertThat(answer.status()).isEqualTo(207);

        JsonNode results = answer.json().get("results");
        assertThat(StreamSupport.stream(results.spliterator(), false)
                        .map(result -> result.path("error").path("code").asText("none")))
                .containsExactly(
                        "none", "missing_property", "invalid_property", "none", "missing_property", "unknown_feature");
        assertThat(results.get(1).at("/error/field").asText()).isEqualTo("properties.count");
        assertThat(results.get(4).at("/error/field").asText()).isEqualTo("properties.user_id");
        assertThat(usageEventsOf(topics, tenant.organization()))
                .extracting(UsageEvent::getEventId)
                .containsExactlyInAnyOrder("ok", "user");
    }

    @Test
    void shouldAnswerAStripeMeterEventForAnUnknownMeterInStripesShape() {
        Tenant tenant = tenant(UnknownFeaturePolicy.REJECT);

        Answer answer = postForm(
                server.getURI().resolve("/v1/billing/meter_events"),
                tenant.key(),
                "event_name=ai_search&payload%5Bstripe_customer_id%5D=cus_1&payload%5Bvalue%5D=1");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(answer.json().at("/error/code").asText()).isEqualTo("unknown_feature");
        assertThat(answer.json().at("/error/param").asText()).isEqualTo("event_name");
        assertThat(answer.json().at("/error/message").asText())
                .isEqualTo("No active meter was found for event_name 'ai_search'");
        assertThat(usageEventsOf(topics, tenant.organization())).isEmpty();
    }

    @Test
    void shouldNameTheStripePayloadKeyOfAMissingMeterProperty() {
        Tenant tenant = tenant(UnknownFeaturePolicy.REJECT);
        IngestFixture.publishMeter(topics, tenant.organization(), true, "ai_search", Aggregation.MAX, "tokens", null);

        Answer answer = postForm(
                server.getURI().resolve("/v1/billing/meter_events"),
                tenant.key(),
                "event_name=ai_search&payload%5Bstripe_customer_id%5D=cus_1&payload%5Bvalue%5D=1");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().at("/error/code").asText()).isEqualTo("missing_property");
        assertThat(answer.json().at("/error/param").asText()).isEqualTo("payload[tokens]");
    }
}
