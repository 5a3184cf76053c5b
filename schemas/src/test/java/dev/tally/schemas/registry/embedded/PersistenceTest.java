package dev.tally.schemas.registry.embedded;

import static dev.tally.schemas.registry.embedded.RegistryHttp.compatibilityBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.registry.HttpSchemaRegistryClient;
import dev.tally.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {

    private static final Schema ORDER =
            SchemaBuilder.record("Order").fields().requiredString("id").endRecord();
    private static final Schema ORDER_V2 = SchemaBuilder.record("Order")
            .fields()
            .requiredString("id")
            .name("note")
            .type()
            .stringType()
            .stringDefault("")
            .endRecord();
    private static final Schema REFUND =
            SchemaBuilder.record("Refund").fields().requiredLong("cents").endRecord();

    @TempDir
    Path dir;

    private EmbeddedSchemaRegistry start(Path file) {
        return EmbeddedSchemaRegistry.start(
                EmbeddedSchemaRegistry.Config.ephemeral().withDataFile(file));
    }

    @Test
    void shouldKeepIdsVersionsAndLevelsAcrossARestart() {
        Path file = dir.resolve("data/schemas.jsonl");
        int order;
        int orderV2;
        int refund;
        try (EmbeddedSchemaRegistry registry = start(file)) {
            SchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url());
            order = client.register("orders-value", ORDER);
            orderV2 = client.register("orders-value", ORDER_V2);
            refund = client.register("refunds-value", REFUND);
            new RegistryHttp(registry.url()).put("/config/refunds-value", compatibilityBody("NONE"));
        }

        try (EmbeddedSchemaRegistry restarted = start(file)) {
            SchemaRegistryClient client = new HttpSchemaRegistryClient(restarted.url());
            RegistryHttp http = new RegistryHttp(restarted.url());

            assertThat(client.schemaById(order)).isEqualTo(ORDER);
            assertThat(client.schemaById(refund)).isEqualTo(REFUND);
            assertThat(client.latest("orders-value").version()).isEqualTo(2);
            assertThat(client.latest("orders-value").id()).isEqualTo(orderV2);
            assertThat(client.register("orders-value", ORDER)).isEqualTo(order);
            assertThat(http.get("/config/refunds-value")
                            .body()
                            .get("compatibilityLevel")
                            .asText())
                    .isEqualTo("NONE");
            int next = client.register(
                    "other-value",
                    SchemaBuilder.record("Other").fields().requiredInt("n").endRecord());
            assertThat(next).isNotIn(order, orderV2, refund);
        }
    }

    @Test
    void shouldIgnoreALastLineCutShortByACrash() throws IOException {
        Path file = dir.resolve("schemas.jsonl");
        int order;
        try (EmbeddedSchemaRegistry registry = start(file)) {
            order = new HttpSchemaRegistryClient(registry.url()).register("orders-value", ORDER);
        }
        Files.writeString(file, "{\"kind\":\"schema\",\"subj", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (EmbeddedSchemaRegistry restarted = start(file)) {
            SchemaRegistryClient client = new HttpSchemaRegistryClient(restarted.url());
            assertThat(client.schemaById(order)).isEqualTo(ORDER);
            client.register("refunds-value", REFUND);
        }

        try (EmbeddedSchemaRegistry again = start(file)) {
            assertThat(new HttpSchemaRegistryClient(again.url())
                            .latest("refunds-value")
                            .schema())
                    .isEqualTo(REFUND);
        }
    }

    @Test
    void shouldForgetEverythingWithoutADataFile() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
            new HttpSchemaRegistryClient(registry.url()).register("orders-value", ORDER);
        }

        try (EmbeddedSchemaRegistry fresh = EmbeddedSchemaRegistry.start()) {
            assertThat(new RegistryHttp(fresh.url()).get("/subjects").body()).isEmpty();
        }
    }
}
