package dev.tally.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-22T03:15:00Z",
                "2026-11-22T03:15:00.1Z",
                "2026-11-22T03:15:00.123456789Z",
                "2024-02-29T23:59:59+05:30",
                "1999-12-31T00:00:00-08:00",
                "2026-11-22T03:15:00.5+00:00"
            })
    void shouldParseLikeTheJdk(String text) {
        assertThat(Rfc3339.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22t03:15:00z", "2026-11-22 03:15:00Z"})
    void shouldAcceptTheSeparatorsRfc3339Allows(String text) {
        assertThat(Rfc3339.parse(text)).isEqualTo(Instant.parse("2026-11-22T03:15:00Z"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-22T03:15:00",
                "2026-11-22",
                "2026-02-30T00:00:00Z",
                "2026-11-22T24:00:00Z",
                "2026-11-22T03:15:60Z",
                "2026-11-22T03:15:00.Z",
                "2026-11-22T03:15:00.1234567891Z",
                "2026-11-22T03:15:00+0100",
                "2026-11-22T03:15:00Zjunk",
                "20261122T031500Z",
                "yesterday at noon please"
            })
    void shouldRejectWhatIsNotRfc3339(String text) {
        assertThatThrownBy(() -> Rfc3339.parse(text)).isInstanceOf(DateTimeException.class);
    }
}
