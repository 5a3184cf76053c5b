package dev.tally.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

    @Test
    void shouldReplaceThreadsUntilTooManyFailWithinThePeriod() {
        ThreadFailures failures = new ThreadFailures(2, Duration.ofMinutes(1));

        assertThat(failures.record(0)).isTrue();
        assertThat(failures.record(1_000)).isTrue();
        assertThat(failures.record(2_000)).isFalse();
    }

    @Test
    void shouldForgetFailuresOlderThanThePeriod() {
        ThreadFailures failures = new ThreadFailures(1, Duration.ofMinutes(1));

        assertThat(failures.record(0)).isTrue();
        assertThat(failures.record(61_000)).isTrue();
    }
}
