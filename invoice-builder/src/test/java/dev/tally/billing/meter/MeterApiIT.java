package dev.tally.billing.meter;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.TestServer;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.MeterDefinition;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The meter catalog through the API: real PostgreSQL, Kafka and registry. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeterApiIT implements TestPropertyProvider {

    @Inject
    Topics topics;

    @Inject
    Jdbi jdbi;

    @Inject
    ApiCalls api;

    @Override
    public Map<String, String> getProperties() {
        return TestServer.properties(TestPostgres.shared().createDatabase(), "meters");
    }

    private static Map<String, Object> meter(String feature, String aggregation, String property) {
        Map<String, Object> body = new HashMap<>();
        body.put("feature", feature);
        body.put("aggregation", aggregation);
        if (property != null) {
            body.put("valueProperty", property);
        }
        return body;
    }

    @Test
    void shouldCreateListGetAndArchiveMetersPublishingEachStateInItsTransaction() {
        String org = api.newOrganization("Meters");
        String key = api.newKey(org);

        ApiCalls.Reply created = api.post(key, "/v1/meters", meter("ai_call", "sum", null));
        assertThat(created.code()).isEqualTo(201);
        assertThat(created.body())
                .containsEntry("feature", "ai_call")
                .containsEntry("aggregation", "sum")
                .containsEntry("valueProperty", null)
                .containsEntry("livemode", false)
                .containsEntry("active", true)
                .containsEntry("archivedAt", null);
        String id = (String) created.body().get("id");
        assertThat(id).startsWith("mtr_");
        ApiCalls.Reply seats = api.post(
                key, "/v1/meters", Map.of("feature", "seats", "aggregation", "unique_count", "value_property", "user"));
        assertThat(seats.code()).isEqualTo(201);
        assertThat(seats.body()).containsEntry("valueProperty", "user");

        assertThat(api.get(key, "/v1/meters/" + id).body()).isEqualTo(created.body());
        ApiCalls.Reply archived = api.post(key, "/v1/meters/" + id + "/archive", Map.of());
        assertThat(archived.code()).isEqualTo(200);
        assertThat(archived.body()).containsEntry("active", false);
        assertThat(archived.body().get("archivedAt")).isNotNull();
        // archiving again answers the same meter
        assertThat(api.post(key, "/v1/meters/" + id + "/archive", Map.of()).body())
                .isEqualTo(archived.body());
        // the feature is free again: a new meter with another aggregation
        ApiCalls.Reply replacement = api.post(key, "/v1/meters", meter("ai_call", "max", "tokens"));
        assertThat(replacement.code()).isEqualTo(201);

        assertThat(list(api.get(key, "/v1/meters").body().get("data")))
                .extracting(m -> m.get("feature"), m -> m.get("aggregation"))
                .containsExactly(tuple("seats", "unique_count"), tuple("ai_call", "max"));
        assertThat(list(api.get(key, "/v1/meters?includeArchived=true").body().get("data")))
                .hasSize(3);

        // create, archive, create, create: four records; the second archive published nothing. A
        // feature's records keep their order (one key, one partition); other features' may interleave.
        List<MeterDefinition> records = ApiCalls.awaitRecords(
                topics.meters(), m -> m.getOrganizationId().equals(org), 4);
        assertThat(records)
                .extracting(
                        MeterDefinition::getFeature, MeterDefinition::getAggregation, m -> m.getArchivedAt() != null)
                .containsExactlyInAnyOrder(
                        tuple("ai_call", Aggregation.SUM, false),
                        tuple("seats", Aggregation.UNIQUE_COUNT, false),
                        tuple("ai_call", Aggregation.SUM, true),
                        tuple("ai_call", Aggregation.MAX, false));
        List<MeterDefinition> aiCall =
                records.stream().filter(m -> m.getFeature().equals("ai_call")).toList();
        assertThat(aiCall)
                .extracting(MeterDefinition::getAggregation, m -> m.getArchivedAt() != null)
                .containsExactly(
                        tuple(Aggregation.SUM, false), tuple(Aggregation.SUM, true), tuple(Aggregation.MAX, false));
        assertThat(aiCall.getLast().getValueProperty()).isEqualTo("tokens");
        assertThat(aiCall.getLast().getLivemode()).isFalse();
        long outboxRows = jdbi.withHandle(
                h -> h.createQuery("SELECT count(*) FROM billing.outbox WHERE topic = :topic AND record_key LIKE :org")
                        .bind("topic", topics.meters().name())
                        .bind("org", org + "|%")
                        .mapTo(Long.class)
                        .one());
        assertThat(outboxRows).isEqualTo(4);
    }

    @Test
    void shouldAnswer409WhileTheFeatureHasAnActiveMeterInTheSameMode() {
        String org = api.newOrganization("Conflicts");
        String test = api.newKey(org);
        String live =
                (String) api.admin(HttpRequest.POST("/v1/organizations/" + org + "/api-keys", Map.of("livemode", true)))
                        .body()
                        .get("key");
        assertThat(api.post(test, "/v1/meters", meter("ai_call", "count", null)).code())
                .isEqualTo(201);

        assertError(api.post(test, "/v1/meters", meter("ai_call", "sum", null)), 409, "already_exists", "feature");
        // live and test meters never mix
        assertThat(api.post(live, "/v1/meters", meter("ai_call", "sum", null)).code())
                .isEqualTo(201);
        assertThat(list(api.get(live, "/v1/meters").body().get("data"))).hasSize(1);
    }

    @Test
    void shouldRejectAnInvalidMeterNamingTheField() {
        String key = api.newKey(api.newOrganization("Validation"));

        assertError(api.post(key, "/v1/meters", Map.of("aggregation", "sum")), 400, "invalid_request", "feature");
        assertError(api.post(key, "/v1/meters", meter("a|b", "sum", null)), 400, "invalid_request", "feature");
        assertError(
                api.post(key, "/v1/meters", meter("x".repeat(129), "sum", null)), 400, "invalid_request", "feature");
        assertError(api.post(key, "/v1/meters", meter("ai call", "sum", null)), 400, "invalid_request", "feature");
        assertError(api.post(key, "/v1/meters", Map.of("feature", "f")), 400, "invalid_request", "aggregation");
        assertError(api.post(key, "/v1/meters", meter("f", "average", null)), 400, "invalid_request", "aggregation");
        assertError(
                api.post(key, "/v1/meters", meter("f", "unique_count", null)), 400, "invalid_request", "valueProperty");
        assertError(
                api.post(key, "/v1/meters", meter("f", "count", "tokens")), 400, "invalid_request", "valueProperty");
        assertError(api.post(key, "/v1/meters", meter("f", "sum", "")), 400, "invalid_request", "valueProperty");
        assertError(
                api.post(key, "/v1/meters", meter("f", "sum", "x".repeat(65))),
                400,
                "invalid_request",
                "valueProperty");
        assertError(api.post(key, "/v1/meters", meter("f", "max", "to|kens")), 400, "invalid_request", "valueProperty");
        assertError(api.get(key, "/v1/meters?includeArchived=maybe"), 400, "invalid_request", "includeArchived");
        assertError(
                api.send(HttpRequest.POST("/v1/meters", "{not json")
                        .bearerAuth(key)
                        .contentType("application/json")),
                400,
                "malformed_json",
                null);
        assertThat(list(api.get(key, "/v1/meters?includeArchived=true").body().get("data")))
                .isEmpty();
    }

    @Test
    void shouldKeepMetersOfOtherOrganizationsAndUnknownIdsOut() {
        String key = api.newKey(api.newOrganization("Owner"));
        String id = (String) api.post(key, "/v1/meters", meter("ai_call", "sum", null))
                .body()
                .get("id");
        String other = api.newKey(api.newOrganization("Other"));

        assertError(api.get(other, "/v1/meters/" + id), 404, "not_found", null);
        assertError(api.post(other, "/v1/meters/" + id + "/archive", Map.of()), 404, "not_found", null);
        assertThat(list(api.get(other, "/v1/meters").body().get("data"))).isEmpty();
        assertError(api.get(key, "/v1/meters/mtr_missing"), 404, "not_found", null);
        String readOnly = (String) api.admin(HttpRequest.POST(
                        "/v1/organizations/" + api.newOrganization("Reader") + "/api-keys",
                        Map.of("scopes", List.of("billing:read"))))
                .body()
                .get("key");
        assertError(api.post(readOnly, "/v1/meters", meter("ai_call", "sum", null)), 403, "insufficient_scope", null);
        assertThat(api.get(readOnly, "/v1/meters").code()).isEqualTo(200);
        assertError(api.send(HttpRequest.GET("/v1/meters")), 401, "missing_credentials", null);
    }
}
