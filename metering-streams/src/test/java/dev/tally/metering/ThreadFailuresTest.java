package dev.tally.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

    @Test
    void shouldCountFailuresWithinThePeriodToBoundRestarts() {
        ThreadFailures failures = new ThreadFailures(2, Duration.ofMinutes(1));

        assertThat(failures.record(0)).isEqualTo(1);
        assertThat(failures.record(1_000)).isEqualTo(2);
        assertThat(failures.record(2_000)).isGreaterThan(failures.limit());
    }

    @Test
    void shouldForgetFailuresOlderThanThePeriod() {
        ThreadFailures failures = new ThreadFailures(1, Duration.ofMinutes(1));

        assertThat(failures.record(0)).isEqualTo(1);
        assertThat(failures.record(61_000)).isEqualTo(1);
    }
}
