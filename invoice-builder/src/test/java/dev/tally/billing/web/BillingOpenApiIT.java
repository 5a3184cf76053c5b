package dev.tally.billing.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code GET /v1/billing/openapi.json} answers the document to a caller without credentials. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillingOpenApiIT implements TestPropertyProvider {

    @Inject
    ApiCalls api;

    @Override
    public Map<String, String> getProperties() {
        return TestServer.properties(TestPostgres.shared().createDatabase(), "openapi");
    }

    @Test
    void shouldServeTheOpenApiDocumentWithoutCredentials() {
        Reply document = api.send(HttpRequest.GET("/v1/billing/openapi.json"));

        assertThat(document.code()).isEqualTo(200);
        assertThat(document.body()).containsEntry("openapi", "3.1.0").containsKeys("paths", "components");
    }
}
