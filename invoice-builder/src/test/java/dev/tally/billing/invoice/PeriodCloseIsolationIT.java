package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.BillingFixtures;
import dev.tally.billing.InvoiceFixtures;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closing November for org_1 when one customer's usage × price overflows the money type:
 *
 * <pre>
 *                      Nov 1                                         Dec 1
 *  big  ai_call   r0   |  99 999 999 999 999 (Nov 2) × 999 999 999 999.999999999  → ~10^26 USD: does not fit
 *                 r1   |  2 (the window restated, after the first close)           → 2 × 999 999 999 999.999999999
 *  ok   storage        |  10 (Nov 3) × 0.25                                        → 2.50 USD
 *                      [start ─────────────────────────────────────────────── end)
 *  first close:  ok invoiced (ACME-TEST-2026-000001), big reported amount_too_large, its usage left un-billed
 *  second close: big invoiced once (ACME-TEST-2026-000002); a third close creates nothing
 * </pre>
 */
class PeriodCloseIsolationIT {

    private static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant NOV_2 = Instant.parse("2026-11-02T00:00:00Z");

    private CloseHarness harness;
    private BillingFixtures fixtures;
    private PeriodClose periodClose;

    @BeforeEach
    void setUp() {
        harness = new CloseHarness();
        fixtures = harness.fixtures;
        periodClose = harness.periodClose;
        fixtures.catalog("org_1", "cus_big", "big", "ai_call", "price_big", new BigDecimal("999999999999.999999999"));
        fixtures.catalog("org_1", "cus_ok", "ok", "storage", "price_ok", new BigDecimal("0.25"));
        fixtures.subscribe("org_1", "cus_big", "price_big");
        fixtures.subscribe("org_1", "cus_ok", "price_ok");
        fixtures.ledgerRow("big", "org_1", "big", "ai_call", NOV_2, "99999999999999");
        fixtures.ledgerRow("ok", "org_1", "ok", "storage", Instant.parse("2026-11-03T00:00:00Z"), "10");
    }

    @Test
    void shouldInvoiceTheOtherCustomersAndReportTheOneWhoseAmountOverflows() {
        PeriodClose.Result result = periodClose.close("org_1", false, NOV, DEC);

        assertThat(result.created()).isTrue();
        assertThat(result.invoices()).singleElement().satisfies(invoice -> {
            assertThat(invoice.customerExternalId()).isEqualTo("ok");
            assertThat(invoice.number()).isEqualTo(InvoiceFixtures.testModeNumber("ACME", invoice.finalizedAt(), 1));
            assertThat(invoice.totalMinor()).isEqualTo(250);
        });
        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.customerExternalId()).isEqualTo("big");
            assertThat(failure.code()).isEqualTo("amount_too_large");
            assertThat(failure.message()).contains("minor units");
        });
        assertThat(harness.unbilledAggregates()).containsExactly("big");
        assertThat(draftsOf("big")).isZero();
    }

    @Test
    void shouldInvoiceTheFailedCustomerOnceWhenThePeriodIsClosedAgainAfterTheCauseIsFixed() {
        periodClose.close("org_1", false, NOV, DEC);
        fixtures.statement("org_1", "big", "ai_call", NOV_2)
                .revision(1)
                .quantity("2")
                .insert();

        PeriodClose.Result again = periodClose.close("org_1", false, NOV, DEC);
        PeriodClose.Result third = periodClose.close("org_1", false, NOV, DEC);

        assertThat(again.created()).isFalse();
        assertThat(again.failures()).isEmpty();
        assertThat(again.invoices())
                .extracting(Invoice::customerExternalId, i -> i.number()
                        .equals(InvoiceFixtures.testModeNumber(
                                "ACME", i.finalizedAt(), "ok".equals(i.customerExternalId()) ? 1 : 2)))
                .containsExactlyInAnyOrder(tuple("ok", true), tuple("big", true));
        Invoice big = again.invoices().stream()
                .filter(i -> i.customerExternalId().equals("big"))
                .findFirst()
                .orElseThrow();
        // 2 × 999 999 999 999.999999999 = 1 999 999 999 999.999999998 → 2 000 000 000 000.00 USD
        assertThat(big.totalMinor()).isEqualTo(200_000_000_000_000L);
        List<InvoiceLine> lines = harness.lines(big);
        assertThat(lines).singleElement().satisfies(line -> assertThat(line.quantity())
                .isEqualByComparingTo("2"));
        assertThat(third.invoices()).hasSize(2);
        assertThat(third.failures()).isEmpty();
        assertThat(harness.unbilledAggregates()).isEmpty();
    }

    @Test
    void shouldKeepReportingTheFailureWhileTheCauseIsNotFixed() {
        periodClose.close("org_1", false, NOV, DEC);

        PeriodClose.Result again = periodClose.close("org_1", false, NOV, DEC);

        assertThat(again.invoices()).extracting(Invoice::customerExternalId).containsExactly("ok");
        assertThat(again.failures()).extracting(CloseFailure::code).containsExactly("amount_too_large");
    }

    private long draftsOf(String externalId) {
        return harness.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM billing.invoices i"
                        + " JOIN billing.customers c ON c.id = i.customer_id WHERE c.external_id = :ext")
                .bind("ext", externalId)
                .mapTo(Long.class)
                .one());
    }
}
