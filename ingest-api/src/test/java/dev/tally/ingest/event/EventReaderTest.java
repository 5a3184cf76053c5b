package dev.tally.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.Settings;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventReaderTest {

    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

    private final EventReader reader = new EventReader(Settings.defaults());

    private ParsedEvent one(String json) {
        return reader.readOne(json.getBytes(StandardCharsets.UTF_8), EventShape.TALLY, NOW);
    }

    private EventInput valid(String json) {
        ParsedEvent parsed = one(json);
        assertThat(parsed).isInstanceOf(ParsedEvent.Valid.class);
        return ((ParsedEvent.Valid) parsed).event();
    }

    private Violation rejected(String json) {
        ParsedEvent parsed = one(json);
        assertThat(parsed).isInstanceOf(ParsedEvent.Rejected.class);
        return ((ParsedEvent.Rejected) parsed).violation();
    }

    @Test
    void shouldReadEveryFieldOfAnEvent() {
        EventInput event = valid(
                """
                {"id":"evt-1","customer":"cus_42","feature":"ai_call","quantity":3,
                 "timestamp":"2026-11-22T02:59:00Z","properties":{"model":"small"},"ignored":{"x":[1,2]}}""");

        assertThat(event.id()).isEqualTo("evt-1");
        assertThat(event.customer()).isEqualTo("cus_42");
        assertThat(event.feature()).isEqualTo("ai_call");
        assertThat(event.quantity()).isEqualTo(new BigDecimal("3.000000000"));
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-22T02:59:00Z"));
        assertThat(event.properties()).isEqualTo(Map.of("model", "small"));
    }

    @Test
    void shouldLeaveIdAndTimestampUnsetWhenAbsent() {
        EventInput event = valid("{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":\"1\"}");

        assertThat(event.id()).isNull();
        assertThat(event.occurredAt()).isNull();
        assertThat(event.properties()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "0.1, 0.100000000",
        "\"0.1\", 0.100000000",
        "999999999999999.999999999, 999999999999999.999999999",
        "\"1.5000000000000\", 1.500000000",
        "1e3, 1000.000000000",
        "0, 0E-9"
    })
    void shouldKeepQuantitiesExactAtScale9(String json, String expected) {
        EventInput event = valid("{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":" + json + "}");

        assertThat(event.quantity()).isEqualTo(new BigDecimal(expected));
        assertThat(event.quantity().scale()).isEqualTo(9);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "{\"feature\":\"f\",\"quantity\":1} ; MISSING_FIELD ; customer",
                "{\"customer\":\"c\",\"quantity\":1} ; MISSING_FIELD ; feature",
                "{\"customer\":\"c\",\"feature\":\"f\"} ; MISSING_FIELD ; quantity",
                "{\"customer\":null,\"feature\":\"f\",\"quantity\":1} ; MISSING_FIELD ; customer",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":-1} ; NEGATIVE_QUANTITY ; quantity",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":\"-0.5\"} ; NEGATIVE_QUANTITY ; quantity",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":0.1234567891} ; TOO_MANY_DECIMALS ; quantity",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1e30} ; QUANTITY_TOO_LARGE ; quantity",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":\"many\"} ; INVALID_QUANTITY ; quantity",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":true} ; INVALID_TYPE ; quantity",
                "{\"customer\":7,\"feature\":\"f\",\"quantity\":1} ; INVALID_TYPE ; customer",
                "{\"customer\":\"c\",\"feature\":[\"f\"],\"quantity\":1} ; INVALID_TYPE ; feature",
                "{\"customer\":\"a|b\",\"feature\":\"f\",\"quantity\":1} ; INVALID_IDENTIFIER ; customer",
                "{\"customer\":\"\",\"feature\":\"f\",\"quantity\":1} ; INVALID_IDENTIFIER ; customer",
                "{\"customer\":\"c\",\"feature\":\"a b\",\"quantity\":1} ; INVALID_IDENTIFIER ; feature",
                "{\"id\":\"x|y\",\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1} ; INVALID_IDENTIFIER ; id",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"timestamp\":\"now\"} ; INVALID_TIMESTAMP ; timestamp",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"timestamp\":\"2026-10-01T00:00:00Z\"} ; TIMESTAMP_OUT_OF_RANGE ; timestamp",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"timestamp\":\"2026-11-22T03:06:00Z\"} ; TIMESTAMP_OUT_OF_RANGE ; timestamp",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"properties\":{\"a\":1}} ; INVALID_TYPE ; properties.a",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"properties\":[]} ; INVALID_TYPE ; properties"
            })
    void shouldRejectEachBadFieldWithItsCode(String json, ErrorCode code, String field) {
        Violation violation = rejected(json);

        assertThat(violation.code()).isEqualTo(code);
        assertThat(violation.field()).isEqualTo(field);
        assertThat(violation.message()).contains(field.replace("properties.", ""));
    }

    @ParameterizedTest
    @CsvSource({"user+tag@example.com", "cus_NciAYcXfLnqBoz", "a.b:c=d~e-f", "Z"})
    void shouldAcceptEveryCustomerIdBillingAccepts(String customer) {
        assertThat(valid("{\"customer\":\"" + customer + "\",\"feature\":\"f\",\"quantity\":1}")
                        .customer())
                .isEqualTo(customer);
    }

    @ParameterizedTest
    @CsvSource({"acct/42", "x~y=z#1", "a%2F", "a?b", "caf\\u00e9"})
    void shouldRefuseCustomerIdsBillingCannotBill(String customer) {
        Violation violation = rejected("{\"customer\":\"" + customer + "\",\"feature\":\"f\",\"quantity\":1}");

        assertThat(violation.code()).isEqualTo(ErrorCode.INVALID_IDENTIFIER);
        assertThat(violation.field()).isEqualTo("customer");
    }

    @ParameterizedTest
    @CsvSource({"129", "200"})
    void shouldRefuseACustomerIdLongerThan128Characters(int length) {
        Violation violation =
                rejected("{\"customer\":\"" + "c".repeat(length) + "\",\"feature\":\"f\",\"quantity\":1}");

        assertThat(violation.code()).isEqualTo(ErrorCode.INVALID_IDENTIFIER);
        assertThat(violation.field()).isEqualTo("customer");
        assertThat(valid("{\"customer\":\"" + "c".repeat(128) + "\",\"feature\":\"f\",\"quantity\":1}"))
                .isNotNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "1e15 ; QUANTITY_TOO_LARGE",
                "\"1000000000000000\" ; QUANTITY_TOO_LARGE",
                "99999999999999999999 ; QUANTITY_TOO_LARGE",
                "\"1e2147483647\" ; QUANTITY_TOO_LARGE",
                "1e2147483647 ; QUANTITY_TOO_LARGE",
                "\"1e-2147483648\" ; TOO_MANY_DECIMALS",
                "\"\\u0661\\u0662\" ; INVALID_QUANTITY",
                "\"\\uff11\" ; INVALID_QUANTITY",
                "\" 1\" ; INVALID_QUANTITY",
                "\"NaN\" ; INVALID_QUANTITY",
                "\"Infinity\" ; INVALID_QUANTITY",
                "\"0x10\" ; INVALID_QUANTITY",
                "\"\" ; INVALID_QUANTITY",
                "false ; INVALID_TYPE",
                "{} ; INVALID_TYPE",
                "[1] ; INVALID_TYPE"
            })
    void shouldRefuseQuantitiesOutsideTheSharedDecimalBounds(String json, ErrorCode code) {
        Violation violation = rejected("{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":" + json + "}");

        assertThat(violation.code()).isEqualTo(code);
        assertThat(violation.field()).isEqualTo("quantity");
    }

    @Test
    void shouldReadMinusZeroAsZero() {
        assertThat(valid("{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":-0}")
                        .quantity())
                .isEqualByComparingTo(BigDecimal.ZERO);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "{\"id\":\"e\\u0000\",\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1} ; INVALID_IDENTIFIER ; id",
                "{\"customer\":\"c\\u0000\",\"feature\":\"f\",\"quantity\":1} ; INVALID_IDENTIFIER ; customer",
                "{\"customer\":\"c\",\"feature\":\"f\\n\",\"quantity\":1} ; INVALID_IDENTIFIER ; feature",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"properties\":{\"k\":\"v\\u0000\"}} ; INVALID_PROPERTIES ; properties.k",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"properties\":{\"k\":\"\\u001b[31m\"}} ; INVALID_PROPERTIES ; properties.k",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"properties\":{\"k\":\"\\u0085\"}} ; INVALID_PROPERTIES ; properties.k",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"properties\":{\"k\":\"\\u007f\"}} ; INVALID_PROPERTIES ; properties.k",
                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"properties\":{\"k\\u0000\":\"v\"}} ; INVALID_PROPERTIES ; properties",
                "{\"retracts\":\"e\\u0001\",\"customer\":\"c\",\"feature\":\"f\"} ; INVALID_IDENTIFIER ; retracts"
            })
    void shouldRefuseControlCharactersNamingTheField(String json, ErrorCode code, String field) {
        Violation violation = rejected(json);

        assertThat(violation.code()).isEqualTo(code);
        assertThat(violation.field()).isEqualTo(field);
    }

    @Test
    void shouldNotEchoTheParserMessageForInvalidJson() {
        assertThatThrownBy(() -> one("{\"customer\":\"c\\u0000\" x"))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON);
                    assertThat(e.getMessage())
                            .startsWith("the body is not valid JSON")
                            .doesNotContain("CTRL");
                });
        assertThatThrownBy(() -> one("{\"a\":".repeat(20) + "1" + "}".repeat(20)))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON);
                    assertThat(e.getMessage())
                            .contains("nested deeper than 16")
                            .doesNotContain("StreamReadConstraints");
                });
    }

    @ParameterizedTest
    @CsvSource({"C1A1", "C0AF", "EDA080", "F4908080", "F8888080", "80", "E282"})
    void shouldRefuseABodyThatIsNotStrictUtf8(String hex) {
        byte[] body = bytesAround("{\"customer\":\"c", hex, "\",\"feature\":\"f\",\"quantity\":1}");

        assertThatThrownBy(() -> reader.readOne(body, EventShape.TALLY, NOW))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON);
                    assertThat(e.getMessage()).contains("UTF-8");
                });
    }

    @Test
    void shouldRefuseOnlyTheNdjsonLineThatIsNotStrictUtf8() {
        byte[] body = bytesAround(
                "{\"id\":\"a\",\"customer\":\"c",
                "C1A1",
                "\",\"feature\":\"f\",\"quantity\":1}\n{\"id\":\"b\",\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1}");

        List<ParsedEvent> events = reader.readLines(body, 10, NOW);

        assertThat(events.get(0)).isInstanceOfSatisfying(ParsedEvent.Rejected.class, rejected -> assertThat(
                        rejected.violation().code())
                .isEqualTo(ErrorCode.INVALID_JSON));
        assertThat(events.get(1)).isInstanceOf(ParsedEvent.Valid.class);
    }

    @Test
    void shouldAcceptWellFormedUtf8InPropertyValues() {
        assertThat(valid(
                                "{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"properties\":{\"city\":\"Z\u00fcrich \u6771\u4eac \ud83d\ude00\"}}")
                        .properties())
                .containsEntry("city", "Z\u00fcrich \u6771\u4eac \ud83d\ude00");
    }

    private static byte[] bytesAround(String before, String hex, String after) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(java.util.HexFormat.of().parseHex(hex));
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void shouldBoundPropertyCountAndSizes() {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":\"v\"");
        }
        many.append('}');

        assertThat(rejected("{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"properties\":" + many + "}")
                        .code())
                .isEqualTo(ErrorCode.INVALID_PROPERTIES);
        assertThat(rejected("{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"properties\":{\"k\":\""
                                + "v".repeat(513) + "\"}}")
                        .field())
                .isEqualTo("properties.k");
    }

    @Test
    void shouldKeepTheClientIdOfARejectedEvent() {
        ParsedEvent parsed = one("{\"customer\":\"c\",\"quantity\":-1,\"feature\":\"f\",\"id\":\"evt-9\"}");

        assertThat(parsed.clientId()).isEqualTo("evt-9");
    }

    @Test
    void shouldFailTheRequestWhenTheBodyIsNotJson() {
        assertThatThrownBy(() -> one("{\"customer\":\"c\","))
                .isInstanceOfSatisfying(
                        IngestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON));
        assertThatThrownBy(() -> one("")).isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.code())
                .isEqualTo(ErrorCode.INVALID_JSON));
        assertThatThrownBy(() -> one("{\"customer\":\"c\",\"customer\":\"d\",\"feature\":\"f\",\"quantity\":1}"))
                .isInstanceOfSatisfying(
                        IngestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON));
        assertThatThrownBy(() -> one("{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1} {}"))
                .isInstanceOfSatisfying(
                        IngestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON));
        assertThatThrownBy(() -> one("[1]")).isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.code())
                .isEqualTo(ErrorCode.INVALID_TYPE));
    }

    @Test
    void shouldReadEachEventOfAnArrayOnItsOwn() {
        List<ParsedEvent> events = reader.readArray(
                """
                [{"id":"a","customer":"c","feature":"f","quantity":1},
                 {"id":"b","customer":"c","feature":"f","quantity":-1},
                 "not an event",
                 {"id":"d","customer":"c","feature":"f","quantity":2.5}]"""
                        .getBytes(StandardCharsets.UTF_8),
                EventShape.TALLY,
                10,
                NOW);

        assertThat(events).extracting(ParsedEvent::clientId).containsExactly("a", "b", null, "d");
        assertThat(events)
                .extracting(event -> event instanceof ParsedEvent.Valid)
                .containsExactly(true, false, false, true);
    }

    @Test
    void shouldRefuseAnArrayLongerThanTheLimit() {
        byte[] body = "[{},{},{}]".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> reader.readArray(body, EventShape.TALLY, 2, NOW))
                .isInstanceOfSatisfying(
                        IngestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_EVENTS));
    }

    @Test
    void shouldRejectOnlyTheBrokenLineOfNdjson() {
        List<ParsedEvent> events = reader.readLines(
                ("{\"id\":\"a\",\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1}\n"
                                + "{\"id\":\"b\",\"customer\":\n"
                                + "\r\n"
                                + "{\"id\":\"c\",\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1}")
                        .getBytes(StandardCharsets.UTF_8),
                10,
                NOW);

        assertThat(events).hasSize(3);
        assertThat(events.get(1)).isInstanceOfSatisfying(ParsedEvent.Rejected.class, rejected -> {
            assertThat(rejected.violation().code()).isEqualTo(ErrorCode.INVALID_JSON);
            assertThat(rejected.violation().message()).startsWith("line 2");
        });
        assertThat(events.get(2).clientId()).isEqualTo("c");
    }
}
