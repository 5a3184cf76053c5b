package dev.tally.ingest.web;

import static dev.tally.ingest.IngestFixture.post;
import static dev.tally.ingest.IngestFixture.usageEventsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.ingest.IngestFixture;
import dev.tally.ingest.IngestFixture.Answer;
import dev.tally.ingest.state.StateFeed;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Topics;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The identity of an event, (organization, mode, customer, event id), as ingest answers it: an id
 * reused under another customer is another event, the same id for the same customer a duplicate,
 * and CloudEvents whose source and id join alike stay apart.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventIdentityIT implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Inject
    Topics topics;

    @Inject
    StateFeed feed;

    private URI events;

    @Override
    public Map<String, String> getProperties() {
        return IngestFixture.properties("identity-it.");
    }

    @BeforeAll
    void waitUntilReady() {
        events = server.getURI().resolve("/v1/events");
        await().atMost(Duration.ofSeconds(30)).until(feed::isReady);
    }

    private record Tenant(String organization, String key) {}

    private Tenant newTenant() {
        String organization = "org_" + UUID.randomUUID().toString().substring(0, 8);
        return new Tenant(organization, IngestFixture.publishKey(topics, organization, true, List.of("usage:write")));
    }

    private Answer postAs(Tenant tenant, String contentType, String body) {
        return post(events, body, "Authorization", "Bearer " + tenant.key(), "Content-Type", contentType);
    }

    private static String event(String id, String customer) {
        return "{\"id\":\"" + id + "\",\"customer\":\"" + customer + "\",\"feature\":\"ai_call\",\"quantity\":1}";
    }

    @Test
    void shouldAcceptOneIdUnderTwoCustomersAsTwoEventsAndTheSameCustomerAgainAsDuplicate() {
        Tenant tenant = newTenant();

        Answer first = postAs(tenant, "application/json", event("evt-1", "cus_a"));
        Answer otherCustomer = postAs(tenant, "application/json", event("evt-1", "cus_b"));
        Answer again = postAs(tenant, "application/json", event("evt-1", "cus_a"));

        assertThat(first.json().get("status").asText()).isEqualTo("accepted");
        assertThat(otherCustomer.json().get("status").asText()).isEqualTo("accepted");
        assertThat(again.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(usageEventsOf(topics, tenant.organization()))
                .extracting(UsageEvent::getEventId, UsageEvent::getCustomerId)
                .containsExactlyInAnyOrder(Tuple.tuple("evt-1", "cus_a"), Tuple.tuple("evt-1", "cus_b"));
    }

    @Test
    void shouldAcceptOneIdUnderTwoCustomersInOneBatchAsTwoEvents() {
        Tenant tenant = newTenant();

        Answer batch = postAs(
                tenant,
                "application/json",
                "[" + event("evt-2", "cus_a") + "," + event("evt-2", "cus_b") + "," + event("evt-2", "cus_a") + "]");

        assertThat(statuses(batch)).containsExactly("accepted", "accepted", "duplicate");
        assertThat(usageEventsOf(topics, tenant.organization()))
                .extracting(UsageEvent::getCustomerId)
                .containsExactlyInAnyOrder("cus_a", "cus_b");
    }

    @Test
    void shouldKeepCloudEventsWhoseSourceAndIdWouldJoinAlikeApart() {
        Tenant tenant = newTenant();
        String first =
                "{\"specversion\":\"1.0\",\"id\":\"x#y\",\"source\":\"/s\",\"type\":\"ai_call\",\"subject\":\"c\"}";
        String second =
                "{\"specversion\":\"1.0\",\"id\":\"y\",\"source\":\"/s#x\",\"type\":\"ai_call\",\"subject\":\"c\"}";

        Answer one = postAs(tenant, "application/cloudevents+json", first);
        Answer other = postAs(tenant, "application/cloudevents+json", second);

        assertThat(one.json().get("status").asText()).isEqualTo("accepted");
        assertThat(other.json().get("status").asText()).isEqualTo("accepted");
        assertThat(usageEventsOf(topics, tenant.organization()))
                .extracting(UsageEvent::getEventId)
                .containsExactlyInAnyOrder("/s#x#y", "/s%23x#y");
    }

    @Test
    void shouldAcceptACustomerIdThatIsAnEmailAddressWithATag() {
        Tenant tenant = newTenant();

        Answer answer = postAs(tenant, "application/json", event("evt-3", "user+tag@example.com"));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(usageEventsOf(topics, tenant.organization()))
                .extracting(UsageEvent::getCustomerId)
                .containsExactly("user+tag@example.com");
    }

    private static List<String> statuses(Answer answer) {
        return StreamSupport.stream(answer.json().get("results").spliterator(), false)
                .map(result -> result.get("status").asText())
                .toList();
    }
}
