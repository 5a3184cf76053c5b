package dev.tally.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UnexpectedErrorHandlerTest {

    private static final String SECRET = "SELECT key_hash FROM api_keys WHERE id = 'k_1'";

    private static EmbeddedServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = ApplicationContext.run(
                EmbeddedServer.class,
                Map.of(
                        "micronaut.server.port",
                        -1,
                        "spec.name",
                        "UnexpectedErrorHandlerTest",
                        "tally.kafka.provision-topics",
                        false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldAnswerTheDocumentedShapeWithARequestIdAndNoExceptionText() throws Exception {
        HttpResponse<String> response = get("/failing");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body())
                .contains("\"code\":\"internal_error\"")
                .containsPattern("\"request_id\":\"req_[0-9a-f]{20}\"")
                .doesNotContain("key_hash")
                .doesNotContain("IllegalStateException");
        String requestId = response.headers()
                .firstValue(UnexpectedErrorHandler.REQUEST_ID_HEADER)
                .orElseThrow();
        assertThat(response.body()).contains(requestId);
    }

    @Test
    void shouldGiveEveryFailureItsOwnRequestId() throws Exception {
        assertThat(get("/failing").headers().firstValue(UnexpectedErrorHandler.REQUEST_ID_HEADER))
                .isNotEqualTo(get("/failing").headers().firstValue(UnexpectedErrorHandler.REQUEST_ID_HEADER));
    }

    @Test
    void shouldLeaveMicronautsOwnClientErrorsAlone() throws Exception {
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Controller
    @Requires(property = "spec.name", value = "UnexpectedErrorHandlerTest")
    static class FailingController {
        @Get("/failing")
        String fail() {
            throw new IllegalStateException(SECRET);
        }
    }
}
