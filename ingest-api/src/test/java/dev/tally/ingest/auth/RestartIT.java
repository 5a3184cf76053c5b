package dev.tally.ingest.auth;

import static dev.tally.ingest.IngestFixture.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.ingest.IngestFixture;
import dev.tally.ingest.IngestFixture.Answer;
import dev.tally.ingest.state.StateFeed;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A restarted API rebuilds its keys from the compacted api-keys topic alone (there is no database):
 * a key works again, a revoked key stays revoked, and what was acknowledged before is still there.
 */
class RestartIT {

    private static final String EVENT = "{\"id\":\"%s\",\"customer\":\"cus_1\",\"feature\":\"ai_call\",\"quantity\":1}";

    @Test
    void shouldRebuildKeysFromTheTopicAfterARestart() {
        Map<String, Object> properties = new HashMap<>(IngestFixture.properties("restart."));
        String active;
        String revoked;
        try (EmbeddedServer first = start(properties)) {
            Topics topics = first.getApplicationContext().getBean(Topics.class);
            active = IngestFixture.publishKey(topics, "org_restart", true, List.of("usage:write"));
            revoked = IngestFixture.publishKey(topics, "org_restart", true, List.of("usage:write"));
            IngestFixture.publishKeyRecord(topics, revoked, "org_restart", List.of("usage:write"), Instant.now());
            assertThat(postEvent(first, active, "before-restart").status()).isEqualTo(202);
        }

        try (EmbeddedServer second = start(properties)) {
            Topics topics = second.getApplicationContext().getBean(Topics.class);
            Answer again = postEvent(second, active, "after-restart");
            Answer refused = postEvent(second, revoked, "refused");

            assertThat(again.status()).isEqualTo(202);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.errorCode()).isEqualTo("api_key_revoked");
            assertThat(IngestFixture.usageEventsOf(topics, "org_restart"))
                    .extracting(UsageEvent::getEventId)
                    .containsExactlyInAnyOrder("before-restart", "after-restart");
        }
    }

    private static EmbeddedServer start(Map<String, Object> properties) {
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties);
        StateFeed feed = server.getApplicationContext().getBean(StateFeed.class);
        await().atMost(Duration.ofSeconds(30)).until(feed::isReady);
        return server;
    }

    private static Answer postEvent(EmbeddedServer server, String key, String id) {
        URI events = server.getURI().resolve("/v1/events");
        return post(events, EVENT.formatted(id), "Authorization", "Bearer " + key, "Content-Type", "application/json");
    }
}
