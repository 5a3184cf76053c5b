package dev.tally.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.Settings;
import dev.tally.ingest.event.EventReader;
import dev.tally.ingest.event.EventShape;
import dev.tally.ingest.event.ParsedEvent;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keeps the hand-written OpenAPI document true to the code. */
class OpenApiDocumentTest {

    private static JsonNode document() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream(OpenApiController.RESOURCE)) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void shouldDescribeExactlyThePostRoutesOfTheControllers() throws IOException {
        Set<String> documented = new HashSet<>();
        JsonNode paths = document().get("paths");
        paths.fieldNames()
                .forEachRemaining(path ->
                        paths.get(path).fieldNames().forEachRemaining(method -> documented.add(method + " " + path)));
        Set<String> routes = new HashSet<>();
        for (Class<?> controller : List.of(EventsController.class, MeterEventsController.class)) {
            for (Method method : controller.getDeclaredMethods()) {
                Post post = method.getAnnotation(Post.class);
                if (post != null) {
                    routes.add("post " + post.uri());
                }
            }
        }

        assertThat(documented).isEqualTo(routes);
    }

    @Test
    void shouldDocumentExamplesThatTheReaderReadsAsUsageAndAsARetraction() throws IOException {
        JsonNode schemas = document().at("/components/schemas");
        EventReader reader = new EventReader(Settings.defaults());
        Instant now = Instant.parse("2026-11-22T03:20:00Z");

        ParsedEvent usage = reader.readOne(
                schemas.at("/Event/examples/0").toString().getBytes(StandardCharsets.UTF_8), EventShape.TALLY, now);
        ParsedEvent retraction = reader.readOne(
                schemas.at("/Retraction/examples/0").toString().getBytes(StandardCharsets.UTF_8),
                EventShape.TALLY,
                now);

        assertThat(usage).isInstanceOfSatisfying(ParsedEvent.Valid.class, valid -> assertThat(
                        valid.event().isRetraction())
                .isFalse());
        assertThat(retraction).isInstanceOfSatisfying(ParsedEvent.Valid.class, valid -> assertThat(
                        valid.event().retracts())
                .isEqualTo(schemas.at("/Retraction/examples/0/retracts").asText()));
        List<String> required = new ArrayList<>();
        schemas.at("/Retraction/required").forEach(field -> required.add(field.asText()));
        assertThat(required).containsExactlyInAnyOrder("retracts", "customer", "feature");
    }

    @Test
    void shouldServeTheDocumentWhereItSays() throws NoSuchMethodException {
        Get get = OpenApiController.class.getMethod("document").getAnnotation(Get.class);

        assertThat(get.uri()).isEqualTo("/v1/events/openapi.json");
    }

    @Test
    void shouldListEveryErrorCode() throws IOException {
        JsonNode codes = document().at("/components/schemas/ErrorCode/enum");
        List<String> documented = new ArrayList<>();
        codes.forEach(code -> documented.add(code.asText()));

        assertThat(documented)
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
    }

    @Test
    void shouldDocumentEveryStatusAnErrorOfTheEventsRouteCanHave() throws IOException {
        JsonNode responses = document().at("/paths/~1v1~1events/post/responses");
        Set<String> statuses = new HashSet<>();
        responses.fieldNames().forEachRemaining(statuses::add);

        assertThat(statuses).contains("202", "207");
        assertThat(statuses)
                .containsAll(Arrays.stream(ErrorCode.values())
                        .map(code -> Integer.toString(code.status()))
                        .toList());
        Set<String> contentTypes = new HashSet<>();
        document()
                .at("/paths/~1v1~1events/post/requestBody/content")
                .fieldNames()
                .forEachRemaining(contentTypes::add);
        assertThat(contentTypes)
                .containsExactlyInAnyOrder(
                        "application/json",
                        EventsController.NDJSON,
                        EventsController.CLOUDEVENT,
                        EventsController.CLOUDEVENTS_BATCH);
    }
}
