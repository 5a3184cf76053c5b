package dev.tally.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.Settings;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Events with {@code retracts}: the cancellation of an earlier event. */
class RetractionReaderTest {

    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

    private final EventReader reader = new EventReader(Settings.defaults());

    private ParsedEvent one(String json) {
        return reader.readOne(json.getBytes(StandardCharsets.UTF_8), EventShape.TALLY, NOW);
    }

    @Test
    void shouldReadARetractionWithAZeroQuantity() {
        ParsedEvent parsed = one(
                """
                {"id":"cancel-1","retracts":"evt-1","customer":"cus_1","feature":"ai_call",
                 "timestamp":"2026-11-22T02:59:00Z"}""");

        assertThat(parsed).isInstanceOfSatisfying(ParsedEvent.Valid.class, valid -> {
            EventInput event = valid.event();
            assertThat(event.isRetraction()).isTrue();
            assertThat(event.retracts()).isEqualTo("evt-1");
            assertThat(event.id()).isEqualTo("cancel-1");
            assertThat(event.customer()).isEqualTo("cus_1");
            assertThat(event.feature()).isEqualTo("ai_call");
            assertThat(event.quantity()).isEqualTo(new BigDecimal("0E-9"));
            assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-22T02:59:00Z"));
            assertThat(event.properties()).isEmpty();
        });
    }

    @Test
    void shouldLeaveTheIdAndTimestampOfARetractionToTheDefaults() {
        ParsedEvent parsed = one("{\"retracts\":\"evt-1\",\"customer\":\"c\",\"feature\":\"f\"}");

        EventInput event = ((ParsedEvent.Valid) parsed).event();
        assertThat(event.id()).isNull();
        assertThat(event.occurredAt()).isNull();
    }

    @Test
    void shouldReadAnEventWithoutRetractsAsUsage() {
        ParsedEvent parsed = one("{\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1,\"retracts\":null}");

        assertThat(((ParsedEvent.Valid) parsed).event().isRetraction()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "{\"retracts\":\"e1\",\"feature\":\"f\"} ; MISSING_FIELD ; customer",
                "{\"retracts\":\"e1\",\"customer\":\"c\"} ; MISSING_FIELD ; feature",
                "{\"retracts\":\"e1\",\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1} ; UNEXPECTED_FIELD ; quantity",
                "{\"retracts\":\"e1\",\"customer\":\"c\",\"feature\":\"f\",\"quantity\":\"0\"} ; UNEXPECTED_FIELD ; quantity",
                "{\"retracts\":\"e1\",\"customer\":\"c\",\"feature\":\"f\",\"properties\":{\"a\":\"b\"}} ; UNEXPECTED_FIELD ; properties",
                "{\"retracts\":\"e|1\",\"customer\":\"c\",\"feature\":\"f\"} ; INVALID_IDENTIFIER ; retracts",
                "{\"retracts\":\"\",\"customer\":\"c\",\"feature\":\"f\"} ; INVALID_IDENTIFIER ; retracts",
                "{\"retracts\":7,\"customer\":\"c\",\"feature\":\"f\"} ; INVALID_TYPE ; retracts",
                "{\"id\":\"e1\",\"retracts\":\"e1\",\"customer\":\"c\",\"feature\":\"f\"} ; INVALID_IDENTIFIER ; retracts",
                "{\"retracts\":\"e1\",\"customer\":\"c\",\"feature\":\"f\",\"timestamp\":\"2026-01-01T00:00:00Z\"} ; TIMESTAMP_OUT_OF_RANGE ; timestamp"
            })
    void shouldRejectABadRetractionWithItsCode(String json, ErrorCode code, String field) {
        ParsedEvent parsed = one(json);

        assertThat(parsed).isInstanceOfSatisfying(ParsedEvent.Rejected.class, rejected -> {
            assertThat(rejected.violation().code()).isEqualTo(code);
            assertThat(rejected.violation().field()).isEqualTo(field);
        });
    }

    @Test
    void shouldReadRetractionsAmongUsageInNdjson() {
        List<ParsedEvent> events = reader.readLines(
                ("{\"id\":\"a\",\"customer\":\"c\",\"feature\":\"f\",\"quantity\":1}\n"
                                + "{\"id\":\"b\",\"retracts\":\"a\",\"customer\":\"c\",\"feature\":\"f\"}\n")
                        .getBytes(StandardCharsets.UTF_8),
                10,
                NOW);

        assertThat(events)
                .extracting(event -> ((ParsedEvent.Valid) event).event().retracts())
                .containsExactly(null, "a");
    }
}
