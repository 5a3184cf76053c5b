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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
            assertThat(v.field()).isEqualTo("data.value");
        });
    }

    @Test
    void shouldKeepTwoCloudEventsWhoseSourceAndIdJoinAlikeApart() {
        ParsedEvent first = cloudEvent(
                "{\"specversion\":\"1.0\",\"id\":\"x#y\",\"source\":\"/s\",\"type\":\"t\"," + "\"subject\":\"c\"}");
        ParsedEvent second = cloudEvent(
                "{\"specversion\":\"1.0\",\"id\":\"y\",\"source\":\"/s#x\",\"type\":\"t\"," + "\"subject\":\"c\"}");

        assertThat(first.clientId()).isEqualTo("/s#x#y");
        assertThat(second.clientId()).isEqualTo("/s%23x#y");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "\"subject\":\"acct/42\" ; INVALID_IDENTIFIER ; subject",
                "\"subject\":7 ; INVALID_TYPE ; subject",
                "\"type\":\"a b\" ; INVALID_IDENTIFIER ; type",
                "\"time\":\"yesterday\" ; INVALID_TIMESTAMP ; time",
                "\"time\":\"2020-01-01T00:00:00Z\" ; TIMESTAMP_OUT_OF_RANGE ; time",
                "\"data\":{\"quantity\":\"1e2147483647\"} ; QUANTITY_TOO_LARGE ; data.quantity",
                "\"data\":{\"quantity\":true} ; INVALID_TYPE ; data.quantity",
                "\"data\":{\"value\":\"\\u0661\"} ; INVALID_QUANTITY ; data.value",
                "\"data\":{\"note\":\"a\\u0000b\"} ; INVALID_PROPERTIES ; data.note",
                "\"data\":[1] ; INVALID_TYPE ; data"
            })
    void shouldNameTheCloudEventsAttributeAtFault(String member, ErrorCode code, String field) {
        String base = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"subject\":\"c\"";
        // the member comes last, so it replaces the valid one before it (duplicates are refused as JSON)
        String json = base.replaceAll(",\"" + member.substring(1, member.indexOf('"', 1)) + "\":\"[^\"]*\"", "") + ","
                + member + "}";
        ParsedEvent parsed = cloudEvent(json);

        assertThat(parsed).isInstanceOfSatisfying(ParsedEvent.Rejected.class, rejected -> {
            assertThat(rejected.violation().code()).isEqualTo(code);
            assertThat(rejected.violation().field()).isEqualTo(field);
            assertThat(rejected.violation().message()).contains(field.substring(field.lastIndexOf('.') + 1));
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

        EventInput event = form.read(FormFields.of(body), NOW);

        assertThat(event.feature()).isEqualTo("ai_search");
        assertThat(event.customer()).isEqualTo("cus_NciAYcXfLnqBoz");
        assertThat(event.quantity()).isEqualTo(new BigDecimal("25.000000000"));
        assertThat(event.id()).isEqualTo("idem_1");
        assertThat(event.occurredAt()).isEqualTo(NOW.minusSeconds(60));
        assertThat(event.properties()).isEqualTo(Map.of("region", "eu west"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "timestamp=9223372036854775807 ; TIMESTAMP_OUT_OF_RANGE ; timestamp",
                "timestamp=-9223372036854775808 ; TIMESTAMP_OUT_OF_RANGE ; timestamp",
                "timestamp=1e18 ; INVALID_TIMESTAMP ; timestamp",
                "payload%5Bvalue%5D=2&payload%5Bvalue%5D=3 ; DUPLICATE_FIELD ; payload[value]",
                "event_name=other ; DUPLICATE_FIELD ; event_name",
                "payload%5Bnote%5D=a%00b ; INVALID_PROPERTIES ; payload[note]",
                "identifier=a%00 ; INVALID_IDENTIFIER ; identifier",
                "payload%5Bvalue%5D=1e2147483647 ; QUANTITY_TOO_LARGE ; payload[value]"
            })
    void shouldRefuseHostileStripeFormsNamingTheParameter(String extra, ErrorCode code, String param) {
        String base = "event_name=ai_search&payload%5Bstripe_customer_id%5D=cus_1";
        byte[] body = (base + (extra.startsWith("payload%5Bvalue%5D") ? "" : "&payload%5Bvalue%5D=1") + "&" + extra)
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> form.read(FormFields.of(body), NOW))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.field()).isEqualTo(param);
                });
    }

    @Test
    void shouldNameTheStripeParameterAtFault() {
        byte[] body = "event_name=ai_search&payload%5Bstripe_customer_id%5D=cus_1&payload%5Bvalue%5D=-2"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> form.read(FormFields.of(body), NOW))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NEGATIVE_QUANTITY);
                    assertThat(e.field()).isEqualTo("payload[value]");
                });
    }
}
