package dev.tally.ingest.web;

import static dev.tally.ingest.IngestFixture.post;
import static dev.tally.ingest.IngestFixture.usageEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ingest.IngestApiApplication;
import dev.tally.ingest.IngestFixture;
import dev.tally.ingest.IngestFixture.Answer;
import dev.tally.ingest.meter.MeterCatalog;
import dev.tally.ingest.state.StateFeed;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Topics;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hostile-input table of ingest: every case of {@code hostile/ingest-corpus.jsonl} is posted to
 * the real server (real broker and registry behind it) and must be answered with its status, error
 * code and field; afterwards nothing of the corpus tenant may be on usage-events. A case that gets
 * a 500, leaks, or is accepted shows up here by name.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT implements TestPropertyProvider {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPEAT = Pattern.compile("\\$\\{repeat:(.+?):(\\d+)}");
    private static final Pattern BASE64 = Pattern.compile("\\$\\{base64:(.*?)}");
    private static final int HOSTILE_QUANTITY_BATCH = 2000;

    @Inject
    EmbeddedServer server;

    @Inject
    Topics topics;

    @Inject
    StateFeed feed;

    @Inject
    MeterCatalog meters;

    private String organization;
    private String key;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(IngestFixture.properties("hostile-it."));
        // as the service runs: it inflates bodies itself
        IngestApiApplication.SERVER_PROPERTIES.forEach((name, value) -> properties.put(name, value.toString()));
        return properties;
    }

    @BeforeAll
    void publishTheCorpusTenant() {
        organization = "org_hostile_" + UUID.randomUUID().toString().substring(0, 8);
        key = IngestFixture.publishKey(topics, organization, true, List.of("usage:write"));
        // a meter that reads a value property, for the invalid_property cases
        IngestFixture.publishMeter(topics, organization, true, "hostile_tokens", Aggregation.SUM, "tokens", null);
        await().atMost(Duration.ofSeconds(30)).until(feed::isReady);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.active(organization, true).containsKey("hostile_tokens"));
    }

    /** One line of the corpus. */
    private record Case(JsonNode spec) {
        String name() {
            return spec.path("name").asText();
        }

        String text(String field) {
            return spec.hasNonNull(field) ? spec.get(field).asText() : null;
        }
    }

    @Test
    void shouldRefuseEveryHostileInputOfTheCorpusAndWriteNothingOfIt() {
        List<Case> corpus = corpus();
        List<String> mismatches = new ArrayList<>();
        for (Case hostile : corpus) {
            Answer answer = send(hostile);
            String outcome = outcome(hostile, answer);
            String expected = expected(hostile);
            if (!outcome.equals(expected)) {
                mismatches.add(hostile.name() + ": expected " + expected + ", got " + outcome + " "
                        + abbreviated(answer.raw().body()));
            }
        }
        // A valid event of another tenant, acknowledged after the corpus: reading the topic to its end
        // offsets must find it, which proves the read saw everything the corpus could have written.
        String control = "org_control_" + UUID.randomUUID().toString().substring(0, 8);
        String controlKey = IngestFixture.publishKey(topics, control, true, List.of("usage:write"));
        Answer controlAnswer = post(
                server.getURI().resolve("/v1/events"),
                "{\"id\":\"control-1\",\"customer\":\"cus_1\",\"feature\":\"f\",\"quantity\":1}",
                "Authorization",
                "Bearer " + controlKey,
                "Content-Type",
                "application/json");

        assertThat(corpus).hasSizeGreaterThan(150);
        assertThat(mismatches).isEmpty();
        assertThat(controlAnswer.status()).isEqualTo(202);
        List<UsageEvent> written =
                usageEvents(topics).stream().map(ConsumerRecord::value).toList();
        assertThat(written).extracting(UsageEvent::getOrganizationId).contains(control);
        assertThat(written)
                .filteredOn(event -> event.getOrganizationId().equals(organization)
                        || event.getCustomerId().startsWith("hostile")
                        || event.getEventId().startsWith("hostile"))
                .isEmpty();
    }

    @Test
    void shouldRejectOnlyTheHostileQuantityOfALargeBatchInEveryFormat() {
        String tenant = "org_batch_" + UUID.randomUUID().toString().substring(0, 8);
        String tenantKey = IngestFixture.publishKey(topics, tenant, true, List.of("usage:write"));
        String huge = "\"1e2147483647\"";

        Answer array = postBatch(tenantKey, "application/json", "[" + String.join(",", events("a", huge)) + "]");
        Answer ndjson = postBatch(tenantKey, "application/x-ndjson", String.join("\n", events("n", huge)));
        Answer cloudEvents = postBatch(
                tenantKey, "application/cloudevents-batch+json", "[" + String.join(",", cloudEvents(huge)) + "]");

        for (Answer answer : List.of(array, ndjson, cloudEvents)) {
            assertThat(answer.status()).isEqualTo(207);
            assertThat(answer.json().get("accepted").asInt()).isEqualTo(HOSTILE_QUANTITY_BATCH);
            assertThat(answer.json().get("rejected").asInt()).isEqualTo(1);
            JsonNode rejected = answer.json().get("results").get(HOSTILE_QUANTITY_BATCH / 2);
            assertThat(rejected.at("/error/code").asText()).isEqualTo("quantity_too_large");
        }
        assertThat(cloudEvents
                        .json()
                        .get("results")
                        .get(HOSTILE_QUANTITY_BATCH / 2)
                        .at("/error/field")
                        .asText())
                .isEqualTo("data.quantity");
        assertThat(IngestFixture.usageEventsOf(topics, tenant)).hasSize(3 * HOSTILE_QUANTITY_BATCH);
    }

    @Test
    void shouldAnswerJsonWhateverTheAcceptHeaderSays() {
        String tenant = "org_accept_" + UUID.randomUUID().toString().substring(0, 8);
        String tenantKey = IngestFixture.publishKey(topics, tenant, true, List.of("usage:write"));

        Answer event = post(
                server.getURI().resolve("/v1/events"),
                "{\"id\":\"a1\",\"customer\":\"cus_1\",\"feature\":\"f\",\"quantity\":1}",
                "Authorization",
                "Bearer " + tenantKey,
                "Content-Type",
                "application/json",
                "Accept",
                "application/xml");
        Answer meterEvent = post(
                server.getURI().resolve(MeterEventsController.PATH),
                "event_name=f&payload%5Bstripe_customer_id%5D=cus_1&payload%5Bvalue%5D=2&identifier=a2",
                "Authorization",
                "Bearer " + tenantKey,
                "Content-Type",
                "application/x-www-form-urlencoded",
                "Accept",
                "text/html");

        assertThat(event.status()).isEqualTo(202);
        assertThat(event.raw().headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(meterEvent.status()).isEqualTo(200);
        assertThat(meterEvent.raw().headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(IngestFixture.usageEventsOf(topics, tenant))
                .extracting(UsageEvent::getEventId)
                .containsExactlyInAnyOrder("a1", "a2");
    }

    private Answer postBatch(String tenantKey, String contentType, String body) {
        return post(
                server.getURI().resolve("/v1/events"),
                body,
                "Authorization",
                "Bearer " + tenantKey,
                "Content-Type",
                contentType);
    }

    /** {@link #HOSTILE_QUANTITY_BATCH} valid events with one of quantity {@code hostile} in their middle. */
    private static List<String> events(String prefix, String hostile) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i <= HOSTILE_QUANTITY_BATCH; i++) {
            String quantity = i == HOSTILE_QUANTITY_BATCH / 2 ? hostile : "1";
            events.add("{\"id\":\"" + prefix + i + "\",\"customer\":\"cus_1\",\"feature\":\"f\",\"quantity\":"
                    + quantity + "}");
        }
        return events;
    }

    private static List<String> cloudEvents(String hostile) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i <= HOSTILE_QUANTITY_BATCH; i++) {
            String quantity = i == HOSTILE_QUANTITY_BATCH / 2 ? hostile : "1";
            events.add("{\"specversion\":\"1.0\",\"id\":\"c" + i + "\",\"source\":\"/app\",\"type\":\"f\","
                    + "\"subject\":\"cus_1\",\"data\":{\"quantity\":" + quantity + "}}");
        }
        return events;
    }

    private static List<Case> corpus() {
        try (InputStream in = HostileInputIT.class.getResourceAsStream("/hostile/ingest-corpus.jsonl")) {
            List<Case> cases = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    cases.add(new Case(JSON.readTree(line)));
                }
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer send(Case hostile) {
        List<String> headers = new ArrayList<>();
        String authorization =
                hostile.spec().has("authorization") ? expand(hostile.text("authorization")) : "Bearer " + key;
        if (!authorization.isEmpty()) {
            headers.addAll(List.of("Authorization", authorization));
        }
        if (hostile.text("contentType") != null) {
            headers.addAll(List.of("Content-Type", hostile.text("contentType")));
        }
        if (hostile.text("contentEncoding") != null) {
            headers.addAll(List.of("Content-Encoding", hostile.text("contentEncoding")));
        }
        hostile.spec()
                .path("headers")
                .fields()
                .forEachRemaining(header -> headers.addAll(
                        List.of(header.getKey(), expandRepeats(header.getValue().asText()))));
        URI uri = server.getURI().resolve(hostile.text("path"));
        return post(uri, HttpRequest.BodyPublishers.ofByteArray(body(hostile)), headers.toArray(String[]::new));
    }

    private static byte[] body(Case hostile) {
        byte[] body = hostile.text("bodyBase64") != null
                ? Base64.getDecoder().decode(hostile.text("bodyBase64"))
                : expandRepeats(hostile.text("body")).getBytes(StandardCharsets.UTF_8);
        String transform = hostile.text("transform");
        if (transform == null) {
            return body;
        }
        byte[] gzipped = gzip(body);
        byte[] deflated = deflate(body);
        return switch (transform) {
            case "gzip" -> gzipped;
            // without the 8-byte trailer (CRC and length): the stream ends before the gzip member does
            case "gzip-truncated" -> Arrays.copyOf(gzipped, gzipped.length - 8);
            case "gzip-half" -> Arrays.copyOf(gzipped, gzipped.length / 2);
            case "gzip-gzip" -> gzip(gzipped);
            case "deflate-truncated" -> Arrays.copyOf(deflated, deflated.length - 4);
            default -> throw new IllegalArgumentException("unknown transform " + transform);
        };
    }

    private String expand(String template) {
        String withKey = template.replace("${key}", key);
        Matcher matcher = BASE64.matcher(withKey);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(
                    expanded,
                    Base64.getEncoder().encodeToString(matcher.group(1).getBytes(StandardCharsets.UTF_8)));
        }
        return matcher.appendTail(expanded).toString();
    }

    private static String expandRepeats(String template) {
        Matcher matcher = REPEAT.matcher(template);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(
                    expanded, Matcher.quoteReplacement(matcher.group(1).repeat(Integer.parseInt(matcher.group(2)))));
        }
        return matcher.appendTail(expanded).toString();
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out)) {
            deflate.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String expected(Case hostile) {
        return describe(
                hostile.spec().path("status").asInt(),
                hostile.text("code"),
                hostile.text("field"),
                hostile.text("eventCode"),
                hostile.text("eventField"));
    }

    /** What the answer says, in the corpus's terms; the error's field is Stripe's param on its route. */
    private static String outcome(Case hostile, Answer answer) {
        JsonNode json = answer.json();
        if (json == null) {
            return describe(answer.status(), null, null, null, null);
        }
        JsonNode error = json.path("error");
        String field = hostile.text("path").startsWith(MeterEventsController.PATH)
                ? error.path("param").asText(null)
                : error.path("field").asText(null);
        JsonNode first = json.path("results").path(0).path("error");
        return describe(
                answer.status(),
                error.path("code").asText(null),
                field,
                hostile.spec().has("eventCode") ? first.path("code").asText(null) : null,
                hostile.spec().has("eventCode") ? first.path("field").asText(null) : null);
    }

    private static String describe(int status, String code, String field, String eventCode, String eventField) {
        return status + " " + code + (field == null ? "" : " (" + field + ")")
                + (eventCode == null
                        ? ""
                        : ", event " + eventCode + (eventField == null ? "" : " (" + eventField + ")"));
    }

    private static String abbreviated(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
}
