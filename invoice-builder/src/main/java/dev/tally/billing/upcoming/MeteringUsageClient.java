package dev.tally.billing.upcoming;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.schemas.avro.Aggregation;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LiveUsage} over HTTP: {@code GET <tally.billing.metering-url>/v1/usage?customer=&feature=&from=&to=
 * &window=&time_zone=UTC} (metering-streams' snake_case answer), each call bounded by a 3 s timeout. Any failure (refused, timed out, not 200, an answer
 * it cannot read) is "no live usage", logged, never an error of the caller's request.
 */
@Singleton
public final class MeteringUsageClient implements LiveUsage {

    private static final Logger LOG = LoggerFactory.getLogger(MeteringUsageClient.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final URI base;
    private final ObjectMapper mapper;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public MeteringUsageClient(
            @Value("${tally.billing.metering-url:`http://127.0.0.1:8080`}") String meteringUrl, ObjectMapper mapper) {
        this.base = URI.create(meteringUrl.endsWith("/") ? meteringUrl : meteringUrl + "/");
        this.mapper = mapper;
    }

    /** Metering's answer, as much of it as billing reads. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Answer(List<Row> data) {}

    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Row(
            String aggregation,
            @JsonProperty("window_start") Instant windowStart,
            @JsonProperty("window_end") Instant windowEnd,
            String quantity,
            @JsonProperty("event_count") long eventCount) {}

    @Override
    public Optional<List<LiveWindow>> windows(
            @Nullable String authorization, String customer, String feature, Instant from, Instant to, Window window) {
        URI uri = base.resolve("v1/usage?customer=" + encode(customer) + "&feature=" + encode(feature) + "&from="
                + encode(from.toString()) + "&to=" + encode(to.toString()) + "&window=" + window.parameter()
                + "&time_zone=UTC");
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                LOG.warn("live usage unavailable: metering answered {} to {}", response.statusCode(), uri.getPath());
                return Optional.empty();
            }
            Answer answer = mapper.readValue(response.body(), Answer.class);
            return Optional.of(
                    answer.data().stream().map(MeteringUsageClient::window).toList());
        } catch (IOException | RuntimeException e) {
            LOG.warn("live usage unavailable: metering at {} could not be read: {}", base, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static LiveWindow window(Row row) {
        return new LiveWindow(
                Aggregation.valueOf(row.aggregation().toUpperCase(Locale.ROOT)),
                row.windowStart(),
                row.windowEnd(),
                new BigDecimal(row.quantity()),
                row.eventCount());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
