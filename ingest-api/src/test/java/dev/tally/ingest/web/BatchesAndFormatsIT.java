package dev.tally.ingest.web;

import static dev.tally.ingest.IngestFixture.post;
import static dev.tally.ingest.IngestFixture.postForm;
import static dev.tally.ingest.IngestFixture.usageEventsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.ingest.IngestFixture;
import dev.tally.ingest.IngestFixture.Answer;
import dev.tally.ingest.state.StateFeed;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Topics;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Batches (JSON arrays, NDJSON, gzip), CloudEvents, Stripe meter events, limits and rate limits,
 * health and metrics, on a real broker and registry.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchesAndFormatsIT implements TestPropertyProvider {

    private static final int MAX_EVENTS = 50;
    private static final int MAX_BYTES = 64 * 1024;
    private static final int BURST = 200;

    @Inject
    EmbeddedServer server;

    @Inject
    Topics topics;

    @Inject
    StateFeed feed;

    private URI events;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(IngestFixture.properties("formats-it."));
        properties.put("tally.ingest.max-batch-events", Integer.toString(MAX_EVENTS));
        properties.put("tally.ingest.max-body-bytes", Integer.toString(MAX_BYTES));
        properties.put("tally.ingest.rate-limit", "10");
        properties.put("tally.ingest.rate-burst", Integer.toString(BURST));
        properties.put("endpoints.prometheus.sensitive", "false");
        return properties;
    }

    @BeforeAll
    void waitUntilReady() {
        events = server.getURI().resolve("/v1/events");
        await().atMost(Duration.ofSeconds(30)).until(feed::isReady);
    }

    private record Tenant(String organization, String key) {}

    private Tenant newTenant() {
        String organization = "org_" + UUID.randomUUID().toString().substring(0, 8);
        return new Tenant(organization, IngestFixture.publishKey(topics, organization, true, List.of("usage:write")));
    }

    private Answer postJson(Tenant tenant, URI uri, String body, String contentType) {
        return post(uri, body, "Authorization", "Bearer " + tenant.key(), "Content-Type", contentType);
    }

    private static String event(String id, Object quantity) {
        return "{\"id\":\"" + id + "\",\"customer\":\"cus_1\",\"feature\":\"ai_call\",\"quantity\":" + quantity + "}";
    }

    private static List<String> statuses(Answer answer) {
        return streamOf(answer.json().get("results"))
                .map(result -> result.get("status").asText())
                .toList();
    }

    private static java.util.stream.Stream<JsonNode> streamOf(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    @Test
    void shouldAcceptTheGoodEventsOfABatchAndReportTheBadOnes() {
        Tenant tenant = newTenant();
        String batch =
                "[" + event("a", 1) + "," + event("b", -1) + "," + event("c", "\"2.5\"") + "," + event("a", 1) + "]";

        Answer answer = postJson(tenant, events, batch, "application/json");

        assertThat(answer.status()).isEqualTo(207);
        assertThat(statuses(answer)).containsExactly("accepted", "rejected", "accepted", "duplicate");
        assertThat(answer.json().get("accepted").asInt()).isEqualTo(2);
        JsonNode rejected = answer.json().get("results").get(1);
        assertThat(rejected.get("id").asText()).isEqualTo("b");
        assertThat(rejected.at("/error/code").asText()).isEqualTo("negative_quantity");
        assertThat(rejected.at("/error/field").asText()).isEqualTo("quantity");
        assertThat(usageEventsOf(topics, tenant.organization()))
                .extracting(UsageEvent::getEventId)
                .containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void shouldAnswer202WhenEveryEventIsAcceptedAndDuplicateWhenSentAgain() {
        Tenant tenant = newTenant();
        String batch = "[" + event("x", 1) + "," + event("y", 2) + "]";

        Answer first = postJson(tenant, events, batch, "application/json");
        Answer again = postJson(tenant, events, batch, "application/json");

        assertThat(first.status()).isEqualTo(202);
        assertThat(statuses(first)).containsExactly("accepted", "accepted");
        assertThat(again.status()).isEqualTo(202);
        assertThat(statuses(again)).containsExactly("duplicate", "duplicate");
        assertThat(usageEventsOf(topics, tenant.organization())).hasSize(2);
    }

    @Test
    void shouldWriteNothingFromAnAllOrNothingBatchWithABadEvent() {
        Tenant tenant = newTenant();
        String batch = "[" + event("ok", 1) + "," + event("bad", "\"1.0000000001\"") + "]";

        Answer answer = postJson(tenant, URI.create(events + "?atomic=true"), batch, "application/json");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("invalid_events");
        assertThat(streamOf(answer.json().get("results"))
                        .map(r -> r.at("/error/code").asText()))
                .containsExactly("batch_aborted", "too_many_decimals");
        Answer marker = postJson(tenant, events, event("marker", 1), "application/json");
        assertThat(marker.status()).isEqualTo(202);
        assertThat(usageEventsOf(topics, tenant.organization()))
                .extracting(UsageEvent::getEventId)
                .containsExactly("marker");
    }

    @Test
    void shouldAcceptRetractionsInBatchesAndReportTheBadOnes() {
        Tenant tenant = newTenant();
        String retraction = "{\"id\":\"r1\",\"retracts\":\"u1\",\"customer\":\"cus_1\",\"feature\":\"ai_call\"}";
        String noCustomer = "{\"id\":\"r2\",\"retracts\":\"u1\",\"feature\":\"ai_call\"}";
        String batch = "[" + event("u1", 1) + "," + retraction + "," + noCustomer + "]";
        String ndjson = "{\"id\":\"r3\",\"retracts\":\"u1\",\"customer\":\"cus_1\",\"feature\":\"ai_call\","
                + "\"quantity\":1}\n";

        Answer array = postJson(tenant, events, batch, "application/json");
        Answer lines = postJson(tenant, events, ndjson, "application/x-ndjson");

        assertThat(array.status()).isEqualTo(207);
        assertThat(statuses(array)).containsExactly("accepted", "accepted", "rejected");
        assertThat(array.json().at("/results/2/error/code").asText()).isEqualTo("missing_field");
        assertThat(array.json().at("/results/2/error/field").asText()).isEqualTo("customer");
        assertThat(lines.status()).isEqualTo(400);
        assertThat(lines.json().at("/results/0/error/code").asText()).isEqualTo("unexpected_field");
        assertThat(usageEventsOf(topics, tenant.organization()))
                .extracting(UsageEvent::getEventId, UsageEvent::getRetracts)
                .containsExactlyInAnyOrder(tuple("u1", null), tuple("r1", "u1"));
    }

    @Test
    void shouldReadNdjsonAndGzip() throws IOException {
        Tenant tenant = newTenant();
        String ndjson = event("n1", 1) + "\n" + event("n2", 2) + "\n";

        Answer plain = postJson(tenant, events, ndjson, "application/x-ndjson");
        Answer gzipped = post(
                events,
                HttpRequest.BodyPublishers.ofByteArray(gzip("[" + event("g1", 3) + "]")),
                "Authorization",
                "Bearer " + tenant.key(),
                "Content-Type",
                "application/json",
                "Content-Encoding",
                "gzip");

        assertThat(plain.status()).isEqualTo(202);
        assertThat(gzipped.status()).isEqualTo(202);
        assertThat(usageEventsOf(topics, tenant.organization()))
                .extracting(UsageEvent::getEventId)
                .containsExactlyInAnyOrder("n1", "n2", "g1");
    }

    @Test
    void shouldRefuseWhatCannotBeReadWithAClear4xx() {
        Tenant tenant = newTenant();
        String tooMany = IntStream.range(0, MAX_EVENTS + 1)
                .mapToObj(i -> event("e" + i, 1))
                .collect(Collectors.joining(",", "[", "]"));
        String tooLarge = "[" + event("big", 1).replace("}", ",\"pad\":\"" + "x".repeat(MAX_BYTES) + "\"}") + "]";

        Answer manyEvents = postJson(tenant, events, tooMany, "application/json");
        Answer largeBody = postJson(tenant, events, tooLarge, "application/json");
        Answer xml = postJson(tenant, events, "<event/>", "application/xml");
        Answer brokenGzip =
                post(events, "not gzip at all", "Authorization", "Bearer " + tenant.key(), "Content-Encoding", "gzip");
        Answer empty = postJson(tenant, events, "[]", "application/json");

        assertThat(manyEvents.status()).isEqualTo(413);
        assertThat(manyEvents.errorCode()).isEqualTo("too_many_events");
        assertThat(largeBody.status()).isEqualTo(413);
        assertThat(largeBody.errorCode()).isEqualTo("payload_too_large");
        assertThat(xml.status()).isEqualTo(415);
        assertThat(xml.errorCode()).isEqualTo("unsupported_media_type");
        assertThat(brokenGzip.status()).isEqualTo(400);
        assertThat(brokenGzip.errorCode()).isEqualTo("invalid_gzip");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.errorCode()).isEqualTo("empty_batch");
        assertThat(usageEventsOf(topics, tenant.organization())).isEmpty();
    }

    @Test
    void shouldAcceptCloudEventsStructuredAndBatched() {
        Tenant tenant = newTenant();
        String time = Instant.now().minusSeconds(5).toString();
        String single =
                """
                {"specversion":"1.0","id":"ce-1","source":"my-app","type":"api-calls","subject":"cus_7",
                 "time":"%s","data":{"value":"4","method":"GET"}}"""
                        .formatted(time);
        String batch = "[" + single.replace("ce-1", "ce-2") + "," + single.replace("ce-1", "ce-3") + "]";

        Answer one = postJson(tenant, events, single, "application/cloudevents+json");
        Answer many = postJson(tenant, events, batch, "application/cloudevents-batch+json");

        assertThat(one.status()).isEqualTo(202);
        assertThat(one.json().get("id").asText()).isEqualTo("my-app#ce-1");
        assertThat(many.status()).isEqualTo(202);
        assertThat(usageEventsOf(topics, tenant.organization())).hasSize(3).allSatisfy(event -> {
            assertThat(event.getCustomerId()).isEqualTo("cus_7");
            assertThat(event.getFeature()).isEqualTo("api-calls");
            assertThat(event.getQuantity()).isEqualTo(new BigDecimal("4.000000000"));
            assertThat(event.getProperties()).containsEntry("method", "GET");
        });
    }

    @Test
    void shouldAcceptAStripeMeterEventAndAnswerInStripesShapes() {
        Tenant tenant = newTenant();
        URI meterEvents = server.getURI().resolve("/v1/billing/meter_events");
        String form = "event_name=ai_search&payload%5Bstripe_customer_id%5D=cus_NciAYcXfLnqBoz"
                + "&payload%5Bvalue%5D=25&identifier=idmp_1";

        Answer ok = postForm(meterEvents, tenant.key(), form);
        Answer bad = postForm(meterEvents, tenant.key(), form.replace("25", "-25"));

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("object").asText()).isEqualTo("billing.meter_event");
        assertThat(ok.json().get("event_name").asText()).isEqualTo("ai_search");
        assertThat(ok.json().get("identifier").asText()).isEqualTo("idmp_1");
        assertThat(ok.json().at("/payload/value").asText()).isEqualTo("25");
        assertThat(ok.json().get("livemode").asBoolean()).isTrue();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(bad.json().at("/error/param").asText()).isEqualTo("payload[value]");
        assertThat(usageEventsOf(topics, tenant.organization())).singleElement().satisfies(event -> {
            assertThat(event.getEventId()).isEqualTo("idmp_1");
            assertThat(event.getCustomerId()).isEqualTo("cus_NciAYcXfLnqBoz");
            assertThat(event.getQuantity()).isEqualTo(new BigDecimal("25.000000000"));
        });
    }

    @Test
    void shouldAnswer429WithRetryAfterPastTheKeysRateLimit() {
        Tenant tenant = newTenant();
        String full = IntStream.range(0, MAX_EVENTS)
                .mapToObj(i -> event("r" + i, 1))
                .collect(Collectors.joining(",", "[", "]"));
        for (int i = 0; i < BURST / MAX_EVENTS; i++) {
            String batch = full.replace("\"r", "\"r" + i + "-");
            assertThat(postJson(tenant, events, batch, "application/json").status())
                    .isEqualTo(202);
        }

        // A whole batch more: the 10 events/s refilled meanwhile are far from enough.
        Answer limited = postJson(tenant, events, full.replace("\"r", "\"over-"), "application/json");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("rate_limited");
        assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(usageEventsOf(topics, tenant.organization())).hasSize(BURST);
    }

    @Test
    void shouldServeReadinessPrometheusMetricsAndTheOpenApiDocument() {
        Tenant tenant = newTenant();
        postJson(tenant, events, event("m1", 1), "application/json");
        postJson(tenant, events, event("m2", -1), "application/json");

        Answer readiness = IngestFixture.get(server.getURI().resolve("/health/readiness"));
        String metrics =
                IngestFixture.get(server.getURI().resolve("/prometheus")).raw().body();
        Answer openApi = IngestFixture.get(server.getURI().resolve("/v1/events/openapi.json"));

        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("status").asText()).isEqualTo("UP");
        assertThat(metrics).contains("tally_ingest_events_total{code=\"none\",status=\"accepted\"}");
        assertThat(metrics).contains("tally_ingest_events_total{code=\"negative_quantity\",status=\"rejected\"}");
        assertThat(metrics).contains("tally_ingest_request_latency_seconds_bucket");
        assertThat(metrics).contains("tally_ingest_producer_queue_events");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.json().get("openapi").asText()).isEqualTo("3.1.0");
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
