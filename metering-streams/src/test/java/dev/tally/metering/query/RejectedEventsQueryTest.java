package dev.tally.metering.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.rules.InstantRange;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RejectedEventsQueryTest {

    @Test
    void shouldDefaultToTheWholeOrganizationUnboundedInTimeAndAPageOfAHundred() {
        RejectedEventsQuery query = RejectedEventsQuery.parse(null, null, null, null);

        assertThat(query.customerId()).isNull();
        assertThat(query.from()).isEqualTo(InstantRange.EARLIEST);
        assertThat(query.to()).isEqualTo(InstantRange.LATEST);
        assertThat(query.limit()).isEqualTo(100);
    }

    @Test
    void shouldRefuseALimitOutsideOneToAThousandOrNotInAsciiDigits() {
        for (String limit : List.of("0", "1001", "-1", "1e2", "\u0661\u0662", " 5", "99999999999")) {
            assertInvalid(() -> RejectedEventsQuery.parse(null, null, null, limit), "limit");
        }
        assertThat(RejectedEventsQuery.parse(null, null, null, "1000").limit()).isEqualTo(1000);
    }

    @Test
    void shouldRefuseControlCharactersAndCustomersBillingRefusesNamingTheParameter() {
        assertInvalid(() -> RejectedEventsQuery.parse("cus\u00001", null, null, null), "customer");
        assertInvalid(() -> RejectedEventsQuery.parse("acct/42", null, null, null), "customer");
        assertInvalid(() -> RejectedEventsQuery.parse(null, "2026-11-01T00:00:00Z\n", null, null), "from");
        assertInvalid(() -> RejectedEventsQuery.parse(null, null, null, "5\u0000"), "limit");
    }

    @Test
    void shouldRefuseAnEmptyRange() {
        assertInvalid(
                () -> RejectedEventsQuery.parse(null, "2026-11-02T00:00:00Z", "2026-11-01T00:00:00Z", null), "to");
    }

    @Test
    void shouldMergeInstancesIntoTheEarliestRowsOfAll() {
        RejectedEventsPage local = new RejectedEventsPage(List.of(row("a", 1), row("c", 3)), false);
        RejectedEventsPage remote = new RejectedEventsPage(List.of(row("b", 2), row("d", 4)), false);

        RejectedEventsPage merged = RejectedEventsPage.merge(local, List.of(remote), 3);

        assertThat(merged.data()).extracting(RejectedEventsPage.Row::eventId).containsExactly("a", "b", "c");
        assertThat(merged.hasMore()).isTrue();
        assertThat(RejectedEventsPage.merge(local, List.of(remote), 4).hasMore())
                .isFalse();
    }

    private static RejectedEventsPage.Row row(String eventId, long second) {
        return new RejectedEventsPage.Row(eventId, "cus_1", "ai_call", "invalid", "why", Instant.ofEpochSecond(second));
    }

    private static void assertInvalid(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MeteringException.class, e -> {
            assertThat(e.code()).isEqualTo(MeteringErrorCode.INVALID_PARAMETER);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}
