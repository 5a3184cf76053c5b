package dev.tally.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void shouldWriteWhatInstantToStringWritesAtTheEdgesOfDaysYearsAndFractions() {
        List<Instant> instants = List.of(
                Instant.EPOCH,
                Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2024-02-29T23:59:59Z"),
                Instant.parse("2100-03-01T00:00:00Z"),
                Instant.parse("2000-02-29T12:00:00Z"),
                Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("2026-01-01T00:00:00.100Z"),
                Instant.parse("2026-01-01T00:00:00.000100Z"),
                Instant.parse("2026-01-01T00:00:00.000000100Z"),
                Instant.parse("2026-01-01T00:00:00.120Z"),
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("0999-12-31T23:59:59Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.MIN,
                Instant.MAX);

        for (Instant instant : instants) {
            assertThat(InstantText.of(instant)).as("%s", instant).isEqualTo(instant.toString());
        }
    }

    @Test
    void shouldWriteWhatInstantToStringWritesForRandomInstantsOfEveryYear() {
        SplittableRandom random = new SplittableRandom(20261204);
        long first = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
        long end = Instant.parse("+10100-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            int nanos =
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1000;
                        default -> random.nextInt(1_000_000_000);
                    };
            Instant instant = Instant.ofEpochSecond(random.nextLong(first, end), nanos);

            assertThat(InstantText.of(instant)).as("%s", instant).isEqualTo(instant.toString());
        }
    }

    @Test
    void shouldLeaveNullNull() {
        assertThat(InstantText.of(null)).isNull();
    }
}
