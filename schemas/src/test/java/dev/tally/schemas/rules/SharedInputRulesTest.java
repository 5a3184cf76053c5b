package dev.tally.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SharedInputRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"nul\u0000", "tab\t", "line\n", "esc\u001b[0m", "del\u007f", "c1\u0085", "c1\u009f"})
    void shouldFindEveryControlCharacter(String text) {
        assertThat(ControlCharacters.holdsAny(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "café ☕", "user+tag@example.com", "\u00a0nbsp"})
    void shouldLetPrintableTextThrough(String text) {
        assertThat(ControlCharacters.holdsAny(text)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "1970-01-01T00:00:00Z, true",
        "9999-12-31T23:59:59.999999Z, true",
        "1969-12-31T23:59:59.999999Z, false",
        "+10000-01-01T00:00:00Z, false",
        "-4714-11-24T00:00:00Z, false"
    })
    void shouldBoundInstantsToWhatEveryStoreHolds(String instant, boolean inside) {
        assertThat(InstantRange.contains(Instant.parse(instant))).isEqualTo(inside);
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "100, 100", "1000, 1000", "0007, 7"})
    void shouldReadPageSizesOfAsciiDigitsUpToTheMax(String text, int size) {
        assertThat(PageSize.of(text)).isEqualTo(size);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "1001", "-1", "+5", "1e2", " 5", "١٢", "99999999999"})
    void shouldRefuseOtherPageSizes(String text) {
        assertThatThrownBy(() -> PageSize.of(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(PageSize.DESCRIPTION);
    }

    @org.junit.jupiter.api.Test
    void shouldDefaultAnAbsentPageSize() {
        assertThat(PageSize.of(null)).isEqualTo(PageSize.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource({
        "Europe/Paris, Europe/Paris",
        "europe/paris, Europe/Paris",
        "UTC, UTC",
        "America/New_York, America/New_York"
    })
    void shouldAnswerTheCanonicalSpellingOfAnIanaZone(String text, String canonical) {
        assertThat(TimeZones.canonicalName(text)).contains(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+02:00", "UTC+2", "GMT-05:00", "Mars/Olympus", "Europe/Paris\n", " UTC"})
    void shouldRefuseOffsetsAndUnknownZones(String text) {
        assertThat(TimeZones.zone(text)).isEmpty();
    }
}
