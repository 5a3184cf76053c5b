package dev.tally.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.ingest.intake.EventResult;
import io.micronaut.http.HttpResponse;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EventAcceptedTest {

    @Test
    void shouldRenderValidJsonEvenForACloudEventIdWithQuotesAndBackslashes() throws IOException {
        String id = "urn:\"app\\x\"#42";

        HttpResponse<byte[]> response = EventAccepted.response(id, EventResult.Status.DUPLICATE);

        JsonNode json = new ObjectMapper().readTree(response.body());
        assertThat(response.code()).isEqualTo(202);
        assertThat(json.get("id").asText()).isEqualTo(id);
        assertThat(json.get("status").asText()).isEqualTo("duplicate");
    }
}
