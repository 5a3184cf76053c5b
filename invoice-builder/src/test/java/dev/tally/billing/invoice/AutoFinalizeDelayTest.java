package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AutoFinalizeDelayTest {

    @Test
    void shouldDefaultToOneHourAndReadIsoDurationsFromZeroToThirtyDays() {
        assertThat(AutoFinalizeDelay.DEFAULT.text()).isEqualTo("PT1H");
        assertThat(AutoFinalizeDelay.parse("d", "PT0S").isImmediate()).isTrue();
        assertThat(AutoFinalizeDelay.parse("d", " P30D ").seconds()).isEqualTo(2_592_000);
        assertThat(AutoFinalizeDelay.parse("d", "PT90M").text()).isEqualTo("PT1H30M");
        assertThat(AutoFinalizeDelay.parse("d", "PT1H").after(Instant.parse("2026-03-01T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-03-01T01:00:00Z"));
        assertThat(AutoFinalizeDelay.ofSeconds(3600)).isEqualTo(AutoFinalizeDelay.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"P30DT1S", "-PT1S", "PT0.5S", "1h", "", "P1M"})
    void shouldRefuseEverythingElseNamingTheField(String value) {
        assertThatThrownBy(() -> AutoFinalizeDelay.parse("autoFinalizeDelay", value))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.field()).contains("autoFinalizeDelay"));
    }

    @Test
    void shouldRefuseABuiltDelayOutsideItsBounds() {
        assertThatThrownBy(() -> new AutoFinalizeDelay(Duration.ofDays(31)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AutoFinalizeDelay(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
