package dev.tally.schemas.registry.embedded;

import static dev.tally.schemas.registry.embedded.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.registry.HttpSchemaRegistryClient;
import dev.tally.schemas.registry.RegisteredSchema;
import dev.tally.schemas.registry.SchemaRegistryClient;
import dev.tally.schemas.registry.SchemaRegistryException;
import dev.tally.schemas.registry.embedded.RegistryHttp.Answer;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmbeddedSchemaRegistryTest {

    private static final Schema ORDER = SchemaBuilder.record("Order")
            .namespace("test")
            .fields()
            .requiredString("id")
            .endRecord();
    private static final Schema ORDER_WITH_NOTE = SchemaBuilder.record("Order")
            .namespace("test")
            .fields()
            .requiredString("id")
            .name("note")
            .type()
            .stringType()
            .stringDefault("")
            .endRecord();

    private final EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
    private final RegistryHttp http = new RegistryHttp(registry.url());
    private final SchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url());

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void shouldBindToLoopbackOnAFreePort() {
        assertThat(registry.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(registry.port()).isPositive();
        assertThat(registry.url().getPort()).isEqualTo(registry.port());
    }

    @Test
    void shouldAnswerRegistrationWithAnIdInConfluentsContentType() {
        Answer answer = http.register("orders-value", ORDER);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
        assertThat(answer.body().get("id").asInt()).isEqualTo(1);
    }

    @Test
    void shouldReturnTheSameIdWhenTheSameSchemaIsRegisteredAgain() {
        int first = http.register("orders-value", ORDER).body().get("id").asInt();
        int again = http.register("orders-value", ORDER).body().get("id").asInt();

        assertThat(again).isEqualTo(first);
        assertThat(http.get("/subjects/orders-value/versions").body()).hasSize(1);
    }

    @Test
    void shouldShareOneGlobalIdForTheSameSchemaUnderTwoSubjects() {
        int underOrders = client.register("orders-value", ORDER);
        int underArchive = client.register("archive-value", ORDER);
        int evolved = client.register("orders-value", ORDER_WITH_NOTE);

        assertThat(underArchive).isEqualTo(underOrders);
        assertThat(evolved).isNotEqualTo(underOrders);
        assertThat(http.get("/subjects/archive-value/versions/1")
                        .body()
                        .get("id")
                        .asInt())
                .isEqualTo(underOrders);
    }

    @Test
    void shouldGiveOneIdAndOneVersionToConcurrentRegistrationsOfOneSchema() throws Exception {
        List<Callable<Integer>> registrations = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            // a client each: the client's cache must not hide concurrent calls from the server
            SchemaRegistryClient own = new HttpSchemaRegistryClient(registry.url());
            registrations.add(() -> own.register("orders-value", ORDER));
        }

        Set<Integer> ids = new HashSet<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Integer> id : pool.invokeAll(registrations)) {
                ids.add(id.get());
            }
        }

        assertThat(ids).hasSize(1);
        assertThat(http.get("/subjects/orders-value/versions").body()).hasSize(1);
    }

    @Test
    void shouldServeSchemasByIdSubjectsAndVersions() {
        int v1 = client.register("orders-value", ORDER);
        int v2 = client.register("orders-value", ORDER_WITH_NOTE);
        client.register("archive-value", ORDER);

        assertThat(new Schema.Parser()
                        .parse(http.get("/schemas/ids/" + v1)
                                .body()
                                .get("schema")
                                .asText()))
                .isEqualTo(ORDER);
        assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"archive-value\",\"orders-value\"]");
        assertThat(http.get("/subjects/orders-value/versions").body().toString())
                .isEqualTo("[1,2]");
        Answer first = http.get("/subjects/orders-value/versions/1");
        assertThat(first.body().get("subject").asText()).isEqualTo("orders-value");
        assertThat(first.body().get("version").asInt()).isEqualTo(1);
        assertThat(first.body().get("id").asInt()).isEqualTo(v1);
        assertThat(new Schema.Parser().parse(first.body().get("schema").asText()))
                .isEqualTo(ORDER);
        RegisteredSchema latest = client.latest("orders-value");
        assertThat(latest).isEqualTo(new RegisteredSchema("orders-value", 2, v2, ORDER_WITH_NOTE));
    }

    @Test
    void shouldFindTheVersionASchemaIsUnderASubject() {
        client.register("orders-value", ORDER);
        client.register("orders-value", ORDER_WITH_NOTE);

        Answer found = http.post("/subjects/orders-value", schemaBody(ORDER_WITH_NOTE));
        Answer absent = http.post(
                "/subjects/orders-value",
                schemaBody(
                        SchemaBuilder.record("Other").fields().requiredInt("n").endRecord()));

        assertThat(found.body().get("version").asInt()).isEqualTo(2);
        assertThat(absent.status()).isEqualTo(404);
        assertThat(absent.errorCode()).isEqualTo(40403);
    }

    @Test
    void shouldAnswerConfluentErrorCodesForWhatDoesNotExist() {
        client.register("orders-value", ORDER);

        assertError(http.get("/subjects/missing-value/versions"), 404, 40401);
        assertError(http.get("/subjects/missing-value/versions/latest"), 404, 40401);
        assertError(http.get("/subjects/orders-value/versions/7"), 404, 40402);
        assertError(http.get("/subjects/orders-value/versions/abc"), 422, 42202);
        assertError(http.get("/schemas/ids/999"), 404, 40403);
        assertError(http.get("/nothing/here"), 404, 404);
    }

    @Test
    void shouldSurfaceTheErrorCodeThroughTheClient() {
        assertThatThrownBy(() -> client.latest("missing-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40401);
                });
        assertThatThrownBy(() -> client.schemaById(42))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(40403));
    }

    @Test
    void shouldRefuseInvalidSchemasAndBadBodies() {
        assertError(
                http.post("/subjects/orders-value/versions", "{\"schema\": \"{\\\"type\\\": \\\"recrod\\\"}\"}"),
                422,
                42201);
        assertError(http.post("/subjects/orders-value/versions", "{\"schema\": \"\"}"), 422, 42201);
        assertError(
                http.post(
                        "/subjects/orders-value/versions",
                        "{\"schemaType\": \"PROTOBUF\", \"schema\": \"syntax = \\\"proto3\\\";\"}"),
                422,
                42201);
        assertError(http.post("/subjects/orders-value/versions", "{not json"), 400, 400);
        assertError(http.post("/subjects/orders-value/versions", "[]"), 400, 400);
        assertError(
                http.send(HttpRequest.newBuilder(registry.url().resolve("/subjects/orders-value/versions"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(schemaBody(ORDER)))),
                415,
                415);
        assertError(
                http.send(HttpRequest.newBuilder(registry.url().resolve("/subjects/orders-value/versions"))
                        .DELETE()),
                405,
                405);
        assertThat(http.get("/subjects").body()).isEmpty();
    }

    @Test
    void shouldDecodeSubjectNamesInThePath() {
        int id = client.register("acme.usage events+v", ORDER);

        assertThat(http.get("/subjects").body().get(0).asText()).isEqualTo("acme.usage events+v");
        assertThat(client.latest("acme.usage events+v").id()).isEqualTo(id);
    }

    @Test
    void shouldAnswerTheRootForProbes() {
        Answer root = http.get("/");

        assertThat(root.status()).isEqualTo(200);
        assertThat(root.body().isObject()).isTrue();
    }

    private static void assertError(Answer answer, int status, int errorCode) {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.errorCode()).as("error_code of %s", answer.body()).isEqualTo(errorCode);
        assertThat(answer.body().path("message").asText()).isNotBlank();
        assertThat(answer.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
    }
}
