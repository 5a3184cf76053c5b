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
        // billing refuses fixed offsets for customers, so the usage query does too (one rule)
        assertInvalid(() -> UsageQuery.parse("cus_1", null, FROM, TO, "day", "+02:00"), "time_zone");
        assertInvalid(() -> UsageQuery.parse("cus_1", null, FROM, TO, "day", "UTC+2"), "time_zone");
        assertInvalid(() -> UsageQuery.parse("cus_1", null, FROM, TO, "week", null), "window");
    }

    @Test
    void shouldRejectAMalformedInstant() {
        assertInvalid(() -> UsageQuery.parse("cus_1", null, "yesterday", TO, null, null), "from");
    }

    @Test
    void shouldRefuseControlCharactersInAnyParameterNamingIt() {
        assertInvalid(() -> UsageQuery.parse("cus_1\u0000", null, FROM, TO, null, null), "customer");
        assertInvalid(() -> UsageQuery.parse("cus_1", "ai_call\u0000", FROM, TO, null, null), "feature");
        assertInvalid(() -> UsageQuery.parse("cus_1", null, FROM + "\u0000", TO, null, null), "from");
        assertInvalid(() -> UsageQuery.parse("cus_1", null, FROM, TO, "hour\u0000", null), "window");
        assertInvalid(() -> UsageQuery.parse("cus_1", null, FROM, TO, "day", "UTC\r\n"), "time_zone");
    }

    @Test
    void shouldCheckCustomersAndFeaturesByTheOneIdentifierRule() {
        assertInvalid(() -> UsageQuery.parse("acct/42", null, FROM, TO, null, null), "customer");
        assertInvalid(() -> UsageQuery.parse("a|b", null, FROM, TO, null, null), "customer");
        assertInvalid(() -> UsageQuery.parse("c".repeat(129), null, FROM, TO, null, null), "customer");
        assertInvalid(() -> UsageQuery.parse("cus_1", "ai call", FROM, TO, null, null), "feature");
        assertThat(UsageQuery.parse("user+tag@example.com", "storage.gb", FROM, TO, null, null)
                        .customerId())
                .isEqualTo("user+tag@example.com");
    }

    @Test
    void shouldRefuseInstantsBeyondWhatEpochMillisHold() {
        // before, these passed the span check and failed with an ArithmeticException (a 500)
        assertInvalid(
                () -> UsageQuery.parse(
                        "cus_1", null, "+999999999-01-01T00:00:00Z", "+999999999-01-02T00:00:00Z", null, null),
                "from");
    }

    @Test
    void shouldReadOnlyTheExactWindowNames() {
        assertInvalid(() -> UsageQuery.parse("cus_1", null, FROM, TO, "m\u0131nute", null), "window");
        assertInvalid(() -> UsageQuery.parse("cus_1", null, FROM, TO, "HOUR", null), "window");
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MeteringException.class, e -> {
            assertThat(e.code()).isEqualTo(MeteringErrorCode.INVALID_PARAMETER);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}
