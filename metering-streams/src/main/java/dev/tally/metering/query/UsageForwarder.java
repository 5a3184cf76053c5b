package dev.tally.metering.query;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks the instance that owns a customer's partition, with the caller's own credentials, and marks
 * the request as forwarded so that an instance never forwards twice (ownership moving mid-request
 * answers 503 and the client retries).
 */
@Singleton
@Requires(property = "tally.metering.enabled", notEquals = "false")
public final class UsageForwarder {

    /** Header that marks a request one instance sent to another. */
    public static final String FORWARDED_HEADER = "X-Tally-Forwarded";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final JsonMapper json;

    public UsageForwarder(JsonMapper json) {
        this.json = json;
    }

    /** The owner's answer: status and JSON body, passed on as they are. */
    public record Answer(int status, String body) {}

    /** Sends {@code pathAndQuery} to {@code owner}. */
    public Answer forward(HostInfo owner, String pathAndQuery, String authorization) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery))
                .timeout(TIMEOUT)
                .header("Authorization", authorization)
                .header(FORWARDED_HEADER, "1")
                .GET()
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new MeteringException(
                    MeteringErrorCode.USAGE_UNAVAILABLE, "the instance holding this customer did not answer; retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeteringException(MeteringErrorCode.USAGE_UNAVAILABLE, "interrupted; retry");
        }
    }

    /**
     * The answers of {@code others} to {@code pathAndQuery}, each read as {@code type}: for a query
     * every instance answers for its own partitions, and the caller merges the parts. Any instance
     * that does not answer 200 makes the whole answer a retryable 503, never a partial one.
     */
    public <T> List<T> gather(List<HostInfo> others, String pathAndQuery, String authorization, Class<T> type) {
        List<T> answers = new ArrayList<>(others.size());
        for (HostInfo other : others) {
            Answer answer = forward(other, pathAndQuery, authorization);
            if (answer.status() != 200) {
                throw new MeteringException(
                        MeteringErrorCode.USAGE_UNAVAILABLE,
                        "an instance could not answer (" + answer.status() + "); retry");
            }
            try {
                answers.add(json.readValue(answer.body(), Argument.of(type)));
            } catch (IOException e) {
                throw new MeteringException(MeteringErrorCode.USAGE_UNAVAILABLE, "an instance answered garbage; retry");
            }
        }
        return answers;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
