package dev.tally.billing.unbilled;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class UnbilledUsageMonitorTest {

    @Test
    void shouldSayNothingWhenNoWindowIsUnbilled() {
        assertThat(UnbilledUsageMonitor.message(new UnbilledTotals(0, 0))).isEmpty();
    }

    @Test
    void shouldCountTheWindowsAndOrganizationsAndSayWhereToLook() {
        assertThat(UnbilledUsageMonitor.message(new UnbilledTotals(12, 3)))
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("12 window(s) of usage in 3 organization(s)")
                        .contains("GET /v1/unbilled-usage"));
    }

    @Test
    void shouldShowTheLastCountOnTheGauges() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        UnbilledUsageMonitor monitor = new UnbilledUsageMonitor(null, registry);

        monitor.record(new UnbilledTotals(12, 3));

        assertThat(registry.get("tally.billing.unbilled.windows").gauge().value())
                .isEqualTo(12);
        assertThat(registry.get("tally.billing.unbilled.organizations").gauge().value())
                .isEqualTo(3);

        monitor.record(new UnbilledTotals(0, 0));

        assertThat(registry.get("tally.billing.unbilled.windows").gauge().value())
                .isZero();
    }
}
