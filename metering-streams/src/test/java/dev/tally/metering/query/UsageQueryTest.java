package dev.tally.metering.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class UsageQueryTest {

    private static final String FROM = "2026-11-01T00:00:00Z";
    private static final String TO = "2026-12-01T00:00:00Z";

    @Test
    void shouldDefaultToHourWindowsInUtc() {
        UsageQuery query = UsageQuery.parse("cus_1", null, FROM, TO, null, null);

        assertThat(query.granularity()).isEqualTo(Granularity.HOUR);
        assertThat(query.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(query.feature()).isNull();
    }

    @Test
    void shouldQueryTheWholeOrganizationWithoutACustomer() {
        assertThat(UsageQuery.parse(" ", null, FROM, TO, null, null).customerId())
                .isNull();
    }

    @Test
    void shouldRejectAnEmptyRange() {
        assertInvalid(() -> UsageQuery.parse("cus_1", null, TO, FROM, null, null), "to");
    }

    @Test
    void shouldRejectAMonthOfMinuteWindows() {
        assertInvalid(() -> UsageQuery.parse("cus_1", null, FROM, TO, "minute", null), "from");
    }

    @Test
    void shouldRejectAnUnknownTimeZoneAndWindow() {
        assertInvalid(() -> UsageQuery.parse("cus_1", null, FROM, TO, "day", "Mars/Olympus"), "time_zone");
        assertInvalid(() -> UsageQuery.parse("cus_1", null, FROM, TO, "week", null), "window");
    }

    @Test
    void shouldRejectAMalformedInstant() {
        assertInvalid(() -> UsageQuery.parse("cus_1", null, "yesterday", TO, null, null), "from");
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MeteringException.class, e -> {
            assertThat(e.code()).isEqualTo(MeteringErrorCode.INVALID_PARAMETER);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}
