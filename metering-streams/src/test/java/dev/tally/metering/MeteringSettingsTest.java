package dev.tally.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeteringSettingsTest {

    @Test
    void shouldBindDefaults() {
        try (ApplicationContext context = ApplicationContext.run(
                Map.of("tally.metering.enabled", false, "tally.kafka.provision-topics", false))) {
            MeteringSettings settings = context.getBean(MeteringSettings.class);
            assertThat(settings.windowSize()).isEqualTo(Duration.ofHours(1));
            assertThat(settings.grace()).isEqualTo(Duration.ofMinutes(10));
            assertThat(settings.dedupHorizon()).isEqualTo(Duration.ofDays(35));
            assertThat(settings.closeInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(settings.applicationId()).isEqualTo("tally-metering");
        }
    }

    @Test
    void shouldBindConfiguredWindows() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "tally.metering.enabled",
                false,
                "tally.kafka.provision-topics",
                false,
                "tally.metering.window-size",
                "PT5S",
                "tally.metering.grace",
                "2s"))) {
            MeteringSettings settings = context.getBean(MeteringSettings.class);
            assertThat(settings.windowSize()).isEqualTo(Duration.ofSeconds(5));
            assertThat(settings.grace()).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void shouldFailStartUpOnNonPositiveWindowSize() {
        assertThatThrownBy(() -> ApplicationContext.run(
                        Map.of("tally.kafka.provision-topics", false, "tally.metering.window-size", "PT0S")))
                .isInstanceOf(BeanInstantiationException.class)
                .hasStackTraceContaining("tally.metering.window-size must be positive");
    }

    @Test
    void shouldRefuseADedupHorizonShorterThanAWindowAndItsGrace() {
        assertThatThrownBy(() -> new MeteringSettings(
                        "app",
                        Duration.ofHours(1),
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(30),
                        Duration.ofSeconds(1),
                        1,
                        Duration.ofSeconds(1),
                        "",
                        64L << 20,
                        0,
                        Duration.ofDays(40),
                        "",
                        0,
                        Duration.ofSeconds(45)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dedup-horizon");
    }

    @Test
    void shouldRestateWindowsAsFarBackAsTheDedupHorizonPlusAWindowAndItsGrace() {
        assertThat(MeteringSettings.defaults().correctionHorizon())
                .isEqualTo(Duration.ofDays(35).plusHours(1).plusMinutes(10));
    }

    @Test
    void shouldRefuseNegativeGrace() {
        assertThatThrownBy(() -> MeteringSettings.defaults().withWindows(Duration.ofHours(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("grace");
    }
}
