package dev.tally.billing.unbilled;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnbilledUsageWarningTest {

    @Test
    void shouldSayNothingWhenNoWindowIsUnbilled() {
        assertThat(UnbilledUsageWarning.message(new UnbilledTotals(0, 0))).isEmpty();
    }

    @Test
    void shouldCountTheWindowsAndOrganizationsAndSayWhereToLook() {
        assertThat(UnbilledUsageWarning.message(new UnbilledTotals(12, 3)))
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("12 window(s) of usage in 3 organization(s)")
                        .contains("GET /v1/unbilled-usage"));
    }
}
