package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.BillingFixtures;
import dev.tally.schemas.topic.Keys;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closing November for org_1 while one customer's UNIQUE_COUNT window is not complete: its values
 * as of its revision are built from statements (a part, a revision) still on their way. Seats and
 * members are 1 USD each.
 *
 * <pre>
 *                 Nov 1                                                  Dec 1
 *  ok      seats    |  w r0 {x, y}                                          → 2 seats, invoiced
 *  team    members  |  w r0 part 0 of 2 {a, b} … part 1 {c} after the close  → usage_incomplete, then 3
 *     or            |  w r1 +d, r0 {a, b} after the close (other topic)      → usage_incomplete, then 3
 *                   [start ────────────────────────────────────────────── end)
 *  first close: ok invoiced, team reported and left un-billed; once the statement arrived, the
 *  next close invoices team once
 * </pre>
 */
class PeriodCloseIncompleteUsageIT {

    private static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant WINDOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final String TEAM_WINDOW = Keys.window("org_1", false, "team", "members", WINDOW.toEpochMilli());

    private CloseHarness harness;
    private BillingFixtures fixtures;
    private PeriodClose periodClose;

    @BeforeEach
    void setUp() {
        harness = new CloseHarness();
        fixtures = harness.fixtures;
        periodClose = harness.periodClose;
        fixtures.catalog("org_1", "cus_ok", "ok", "seats", "price_seats", BigDecimal.ONE);
        fixtures.catalog("org_1", "cus_team", "team", "members", "price_members", BigDecimal.ONE);
        fixtures.subscribe("org_1", "cus_ok", "price_seats");
        fixtures.subscribe("org_1", "cus_team", "price_members");
        fixtures.statement("org_1", "ok", "seats", WINDOW)
                .aggregation("unique_count")
                .distinct("x", "y")
                .insert();
    }

    @Test
    void shouldReportACustomerWhoseWindowMissesAPartAndInvoiceItOnceThePartArrived() {
        members(0).distinct("a", "b").part(0, 2).insert();

        PeriodClose.Result first = periodClose.close("org_1", false, NOV, DEC);

        assertOnlyOkInvoiced(first);
        assertThat(first.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.customerExternalId()).isEqualTo("team");
            assertThat(failure.code()).isEqualTo(CloseFailure.USAGE_INCOMPLETE);
            assertThat(failure.message())
                    .contains(TEAM_WINDOW)
                    .contains("as of revision 0")
                    .contains("part 1 of 2 of revision 0 has not arrived");
        });

        members(0).added("c").part(1, 2).insert();
        PeriodClose.Result next = periodClose.close("org_1", false, NOV, DEC);

        assertTeamInvoicedOnce(next);
    }

    @Test
    void shouldReportACustomerWhoseWindowMissesARevisionAndInvoiceItOnceTheRevisionArrived() {
        // revision 0 travels on usage-aggregates, its restatement on usage-corrections: this one came first
        members(1).added("d").insert();

        PeriodClose.Result first = periodClose.close("org_1", false, NOV, DEC);

        assertOnlyOkInvoiced(first);
        assertThat(first.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.customerExternalId()).isEqualTo("team");
            assertThat(failure.code()).isEqualTo("usage_incomplete");
            assertThat(failure.message())
                    .contains("members window " + WINDOW)
                    .contains(TEAM_WINDOW)
                    .contains("as of revision 1")
                    .contains("revision 0 has not arrived");
        });
        PeriodClose.Result stillMissing = periodClose.close("org_1", false, NOV, DEC);
        assertThat(stillMissing.failures()).extracting(CloseFailure::code).containsExactly("usage_incomplete");

        members(0).distinct("a", "b").insert();
        PeriodClose.Result next = periodClose.close("org_1", false, NOV, DEC);

        assertTeamInvoicedOnce(next);
    }

    private BillingFixtures.Statement members(long revision) {
        return fixtures.statement("org_1", "team", "members", WINDOW)
                .aggregation("unique_count")
                .revision(revision);
    }

    private void assertOnlyOkInvoiced(PeriodClose.Result result) {
        assertThat(result.invoices()).singleElement().satisfies(invoice -> {
            assertThat(invoice.customerExternalId()).isEqualTo("ok");
            assertThat(invoice.totalMinor()).isEqualTo(200);
        });
        assertThat(harness.unbilledAggregates()).isNotEmpty().allMatch(id -> id.startsWith(TEAM_WINDOW));
        assertThat(failuresRecorded()).containsExactly("team usage_incomplete");
    }

    /** Team invoiced for a, b and c or d: 3 members; nothing failed or left, and a further close changes nothing. */
    private void assertTeamInvoicedOnce(PeriodClose.Result result) {
        assertThat(result.created()).isFalse();
        assertThat(result.failures()).isEmpty();
        Invoice team = result.invoices().stream()
                .filter(i -> i.customerExternalId().equals("team"))
                .findFirst()
                .orElseThrow();
        assertThat(harness.lines(team)).singleElement().satisfies(line -> assertThat(line.quantity())
                .isEqualByComparingTo("3"));
        assertThat(team.totalMinor()).isEqualTo(300);
        assertThat(harness.unbilledAggregates()).isEmpty();
        assertThat(failuresRecorded()).isEmpty();
        assertThat(periodClose.close("org_1", false, NOV, DEC).invoices()).hasSize(2);
    }

    /** The rows of period_close_failures, as "customer code". */
    private List<String> failuresRecorded() {
        return harness.jdbi.withHandle(
                h -> h.createQuery("SELECT customer_external_id || ' ' || code FROM billing.period_close_failures")
                        .mapTo(String.class)
                        .list());
    }
}
