package dev.tally.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class SchemaRegistryServerIT {

    @Test
    void shouldAnswerOnItsUrl() throws IOException, InterruptedException {
        SchemaRegistryServer registry = SchemaRegistryServer.shared();

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(registry.url() + "/subjects"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/vnd.schemaregistry.v1+json");
    }

    @Test
    void shouldRegisterAndServeSchemasThroughItsClient() {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            Schema schema = SchemaBuilder.record("Probe")
                    .fields()
                    .requiredString("name")
                    .endRecord();

            int id = registry.client().register("probe-value", schema);

            assertThat(registry.client().schemaById(id)).isEqualTo(schema);
        }
    }
}
