package dev.tally.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.schemas.topic.Topic;
import dev.tally.testkit.KafkaBroker;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** Calls to the finance API of a test's server, and reads of the topics it publishes to. */
public final class ApiCalls {

    private static final Argument<Map<String, Object>> JSON = Argument.mapOf(String.class, Object.class);

    private final HttpClient http;
    private final String adminToken;

    public ApiCalls(HttpClient http, String adminToken) {
        this.http = http;
        this.adminToken = adminToken;
    }

    /** A status and a JSON body. */
    public record Reply(int code, Map<String, Object> body) {}

    public Reply admin(MutableHttpRequest<?> request) {
        return send(request.bearerAuth(adminToken));
    }

    public Reply post(String key, String path, Object body) {
        return send(HttpRequest.POST(path, body).bearerAuth(key));
    }

    public Reply get(String key, String path) {
        return send(HttpRequest.GET(path).bearerAuth(key));
    }

    public Reply send(MutableHttpRequest<?> request) {
        try {
            HttpResponse<Map<String, Object>> response = http.toBlocking().exchange(request, JSON);
            return new Reply(response.code(), response.body());
        } catch (HttpClientResponseException e) {
            return new Reply(e.code(), e.getResponse().getBody(JSON).orElse(Map.of()));
        }
    }

    /** A new organization's id. */
    public String newOrganization(String name) {
        return (String) admin(HttpRequest.POST("/v1/organizations", Map.of("name", name)))
                .body()
                .get("id");
    }

    /**
     * A new organization's id, whose billing cycle finalizes its drafts as it writes them ({@code
     * autoFinalizeDelay} {@code PT0S}): for tests of the invoices the cycle issues.
     */
    public String newOrganizationFinalizingAtOnce(String name) {
        return (String) admin(HttpRequest.POST("/v1/organizations", Map.of("name", name, "autoFinalizeDelay", "PT0S")))
                .body()
                .get("id");
    }

    /** A new test-mode key (every scope) of organization {@code org}. */
    public String newKey(String org) {
        return (String) admin(HttpRequest.POST("/v1/organizations/" + org + "/api-keys", Map.of()))
                .body()
                .get("key");
    }

    public static void assertError(Reply reply, int status, String code, String field) {
        assertThat(reply.code()).as("status of %s", reply.body()).isEqualTo(status);
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) reply.body().get("error");
        assertThat(error).as("error of %s", reply.body()).containsEntry("code", code);
        assertThat((String) error.get("message")).isNotBlank();
        assertThat(error.get("field")).isEqualTo(field);
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    /**
     * Reads {@code topic} from the start until {@code count} records whose value matches
     * {@code wanted} arrived; returns them in topic order (one partition per key).
     */
    public static <V> List<V> awaitRecords(Topic<String, V> topic, Predicate<V> wanted, int count) {
        List<V> records = new ArrayList<>();
        try (var consumer = KafkaBroker.shared().consumer(topic, "reader-" + UUID.randomUUID())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null && wanted.test(r.value())) {
                        records.add(r.value());
                    }
                });
                return records.size() >= count;
            });
        }
        return records;
    }
}
