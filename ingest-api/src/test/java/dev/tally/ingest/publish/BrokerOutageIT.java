package dev.tally.ingest.publish;

import static dev.tally.ingest.IngestFixture.post;
import static dev.tally.ingest.IngestFixture.postAsync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.ingest.IngestFixture;
import dev.tally.ingest.IngestFixture.Answer;
import dev.tally.ingest.state.StateFeed;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * When the broker goes away, the API acknowledges nothing that is not durable: requests waiting on
 * the broker answer 503 with Retry-After once the delivery timeout passes, and requests past the
 * in-flight bound are refused at once instead of queueing. Runs its own broker, since it stops it.
 */
class BrokerOutageIT {

    @Test
    void shouldAnswer503AndRefuseNewWorkPastTheBoundWhenTheBrokerIsDown() {
        KafkaBroker broker = KafkaBroker.start();
        Map<String, Object> properties = new HashMap<>(IngestFixture.properties(broker.bootstrapServers(), "outage."));
        properties.put("tally.ingest.delivery-timeout", "3s");
        properties.put("tally.ingest.max-in-flight-bytes", "1024");
        properties.put("tally.ingest.retry-after", "2s");
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
            ApplicationContext context = server.getApplicationContext();
            await().atMost(Duration.ofSeconds(30)).until(context.getBean(StateFeed.class)::isReady);
            String key = ApiKeys.generate(true);
            IngestFixture.publishKeyRecord(
                    broker.bootstrapServers(),
                    context.getBean(Topics.class),
                    key,
                    "org_outage",
                    List.of("usage:write"),
                    null);
            URI events = server.getURI().resolve("/v1/events");
            String[] headers = {"Authorization", "Bearer " + key, "Content-Type", "application/json"};
            assertThat(post(events, event("before"), headers).status()).isEqualTo(202);

            broker.close();
            String batch = IntStream.range(0, 20)
                    .mapToObj(i -> event("during-" + i))
                    .collect(Collectors.joining(",", "[", "]"));
            CompletableFuture<Answer> waiting = postAsync(events, batch, headers);
            EventPublisher publisher = context.getBean(EventPublisher.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> publisher.inFlightRecords() == 20);
            Answer refused = post(events, event("refused"), headers);
            Answer timedOut = waiting.join();

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.errorCode()).isEqualTo("overloaded");
            assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("2");
            assertThat(timedOut.status()).isEqualTo(503);
            assertThat(timedOut.errorCode()).isEqualTo("broker_unavailable");
            assertThat(timedOut.json().get("accepted").asInt()).isZero();
            assertThat(timedOut.raw().headers().firstValue("Retry-After")).hasValue("2");
            assertThat(publisher.inFlightBytes()).isZero();
        }
    }

    private static String event(String id) {
        return "{\"id\":\"" + id + "\",\"customer\":\"cus_1\",\"feature\":\"ai_call\",\"quantity\":1}";
    }
}
