package dev.tally.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.Settings;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventAndStripeFormTest {

    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

    private final EventReader reader = new EventReader(Settings.defaults());
    private final MeterEventForm form = new MeterEventForm(Settings.defaults());

    private ParsedEvent cloudEvent(String json) {
        return reader.readOne(json.getBytes(StandardCharsets.UTF_8), EventShape.CLOUD_EVENT, NOW);
    }

    @Test
    void shouldMapACloudEventAsOpenMeterDoes() {
        ParsedEvent parsed = cloudEvent(
                """
                {"specversion":"1.0","id":"5c10fade","source":"my-app","type":"api-calls","subject":"customer-1",
                 "time":"2026-11-22T02:30:00.001Z","datacontenttype":"application/json",
                 "data":{"value":"12.5","method":"GET","duration_ms":40,"nested":{"a":1}}}""");

        assertThat(parsed).isInstanceOfSatisfying(ParsedEvent.Valid.class, valid -> {
            EventInput event = valid.event();
            assertThat(event.id()).isEqualTo("my-app#5c10fade");
            assertThat(event.customer()).isEqualTo("customer-1");
            assertThat(event.feature()).isEqualTo("api-calls");
            assertThat(event.quantity()).isEqualTo(new BigDecimal("12.500000000"));
            assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-22T02:30:00.001Z"));
            assertThat(event.properties()).isEqualTo(Map.of("method", "GET", "duration_ms", "40"));
        });
    }

    @Test
    void shouldCountACloudEventWithoutAQuantityAsOne() {
        ParsedEvent parsed = cloudEvent(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"login\",\"subject\":\"c\"}");

        assertThat(((ParsedEvent.Valid) parsed).event().quantity()).isEqualTo(new BigDecimal("1.000000000"));
    }

    @Test
    void shouldRejectACloudEventWithoutSubjectOrWithANegativeValue() {
        ParsedEvent noSubject = cloudEvent("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\"}");
        ParsedEvent negative = cloudEvent("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\","
                + "\"subject\":\"c\",\"data\":{\"value\":-1}}");

        assertThat(((ParsedEvent.Rejected) noSubject).violation().field()).isEqualTo("subject");
        assertThat(((ParsedEvent.Rejected) negative).violation()).satisfies(v -> {
            assertThat(v.code()).isEqualTo(ErrorCode.NEGATIVE_QUANTITY);
            assertThat(v.field()).isEqualTo("data.quantity");
        });
    }

    @Test
    void shouldRefuseARetractionSentAsACloudEvent() {
        ParsedEvent parsed = cloudEvent("{\"specversion\":\"1.0\",\"id\":\"2\",\"source\":\"s\",\"type\":\"t\","
                + "\"subject\":\"c\",\"retracts\":\"s#1\"}");

        assertThat(((ParsedEvent.Rejected) parsed).violation()).satisfies(v -> {
            assertThat(v.code()).isEqualTo(ErrorCode.UNEXPECTED_FIELD);
            assertThat(v.field()).isEqualTo("retracts");
        });
    }

    @Test
    void shouldReadAStripeMeterEventForm() {
        byte[] body = ("event_name=ai_search&payload%5Bstripe_customer_id%5D=cus_NciAYcXfLnqBoz"
                        + "&payload%5Bvalue%5D=25&identifier=idem_1&timestamp=" + (NOW.getEpochSecond() - 60)
                        + "&payload%5Bregion%5D=eu+west")
                .getBytes(StandardCharsets.UTF_8);

        EventInput event = form.read(MeterEventForm.fields(body), NOW);

        assertThat(event.feature()).isEqualTo("ai_search");
        assertThat(event.customer()).isEqualTo("cus_NciAYcXfLnqBoz");
        assertThat(event.quantity()).isEqualTo(new BigDecimal("25.000000000"));
        assertThat(event.id()).isEqualTo("idem_1");
        assertThat(event.occurredAt()).isEqualTo(NOW.minusSeconds(60));
        assertThat(event.properties()).isEqualTo(Map.of("region", "eu west"));
    }

    @Test
    void shouldNameTheStripeParameterAtFault() {
        byte[] body = "event_name=ai_search&payload%5Bstripe_customer_id%5D=cus_1&payload%5Bvalue%5D=-2"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> form.read(MeterEventForm.fields(body), NOW))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NEGATIVE_QUANTITY);
                    assertThat(e.field()).isEqualTo("payload[value]");
                });
    }
}
