package dev.tally.metering.query;

import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

    @PreDestroy
    void close() {
        client.close();
    }
}
