package dev.tally.billing.lineage;

import static dev.tally.billing.lineage.LineageHarness.ORG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.web.PageRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lineage and verification of the period close's invoices, closed month by month for customer c1: {@code
 * calls} (SUM, 0.05 a unit) and {@code peak} (MAX, 2.00 a unit).
 *
 * <pre>
 *            Nov                       Dec                          Jan
 *  calls   w1=3 w2=2      │ w1 r1=7 (+4)   dec=10       │
 *  peak    a=7            │ a r1=9 (+2)                 │
 *          ▲ inv Nov: 5 calls 0.25, peak 7 14.00        ▲ inv Dec: 10 calls 0.50, peak 0, adjustments +0.20, +4.00
 * </pre>
 */
class CloseLineageIT {

    private static final String NOV = "2026-11-01T00:00:00Z";
    private static final String DEC = "2026-12-01T00:00:00Z";
    private static final String JAN = "2027-01-01T00:00:00Z";
    private static final Instant W1 = Instant.parse("2026-11-02T10:00:00Z");
    private static final Instant W2 = Instant.parse("2026-11-03T10:00:00Z");
    private static final Instant A = Instant.parse("2026-11-04T10:00:00Z");
    private static final Instant DEC_WINDOW = Instant.parse("2026-12-05T10:00:00Z");

    private final LineageHarness harness = new LineageHarness();

    @BeforeEach
    void catalog() {
        harness.fixtures.catalog(ORG, "cus_1", "c1", "calls", "price_calls", new BigDecimal("0.05"));
        harness.fixtures.catalog(ORG, "cus_1", "c1", "peak", "price_peak", new BigDecimal("2"));
        harness.fixtures.subscribe(ORG, "cus_1", "price_calls");
        harness.fixtures.subscribe(ORG, "cus_1", "price_peak");
    }

    private String calls(Instant window, long revision, String quantity) {
        return harness.fixtures
                .statement(ORG, "c1", "calls", window)
                .revision(revision)
                .quantity(quantity)
                .insert();
    }

    private void peak(Instant window, long revision, String quantity) {
        harness.fixtures
                .statement(ORG, "c1", "peak", window)
                .aggregation("max")
                .revision(revision)
                .quantity(quantity)
                .insert();
    }

    private Invoice close(String start, String end) {
        List<Invoice> invoices = harness.periodClose
                .close(ORG, false, Instant.parse(start), Instant.parse(end))
                .invoices();
        assertThat(invoices).hasSize(1);
        return invoices.getFirst();
    }

    private InvoiceLine line(Invoice invoice, LineKind kind, String feature) {
        return harness.lines(invoice).stream()
                .filter(line -> line.kind() == kind && feature.equals(line.featureKey()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void shouldVerifyTheCloseInvoicesOfAPeriodAndOfItsRestatement() {
        calls(W1, 0, "3");
        calls(W2, 0, "2");
        peak(A, 0, "7");
        Invoice november = close(NOV, DEC);
        calls(W1, 1, "7");
        peak(A, 1, "9");
        calls(DEC_WINDOW, 0, "10");
        Invoice december = close(DEC, JAN);

        assertThat(november.totalMinor()).isEqualTo(25 + 1400);
        assertThat(december.totalMinor()).isEqualTo(50 + 20 + 400);
        assertThat(harness.verify(november).differences()).isEmpty();
        assertThat(harness.verify(december).differences()).isEmpty();
    }

    @Test
    void shouldNameTheWindowACloseAdjustmentRestated() {
        calls(W1, 0, "3");
        calls(W2, 0, "2");
        Invoice november = close(NOV, DEC);
        String restated = calls(W1, 1, "7");
        Invoice december = close(DEC, JAN);
        InvoiceLine adjustment = line(december, LineKind.ADJUSTMENT, "calls");

        InvoiceLineage.LineUsage usage =
                harness.lineage.usage(ORG, false, december.id(), adjustment.id(), PageRequest.of(null, null));
        InvoiceLineage.LineUsage billedInNovember = harness.lineage.usage(
                ORG,
                false,
                november.id(),
                line(november, LineKind.USAGE, "calls").id(),
                PageRequest.of(null, null));

        assertThat(adjustment.previousQuantity()).isEqualByComparingTo("5");
        assertThat(adjustment.quantity()).isEqualByComparingTo("4");
        assertThat(usage.windows()).singleElement().satisfies(window -> {
            assertThat(window.windowStart()).isEqualTo(W1);
            assertThat(window.before().quantity()).isEqualByComparingTo("3");
            assertThat(window.before().revision()).isZero();
            assertThat(window.now().quantity()).isEqualByComparingTo("7");
            assertThat(window.now().aggregateId()).isEqualTo(restated);
        });
        assertThat(billedInNovember.windows())
                .as("the restatement billed later does not change what November's line billed")
                .extracting(w -> w.now().quantity().toPlainString())
                .containsExactly("3.000000000", "2.000000000");
    }

    @Test
    void shouldReportATamperedAdjustmentOfTheClose() {
        calls(W1, 0, "3");
        close(NOV, DEC);
        calls(W1, 1, "7");
        Invoice december = close(DEC, JAN);
        InvoiceLine adjustment = line(december, LineKind.ADJUSTMENT, "calls");
        // finalized lines are refused by the database: the guard is lifted inside this one transaction only
        harness.jdbi.useTransaction(h -> {
            h.execute("ALTER TABLE billing.invoice_lines DISABLE TRIGGER invoice_lines_changed_in_drafts_only");
            h.execute("UPDATE billing.invoice_lines SET previous_quantity = 2 WHERE id = ?", adjustment.id());
            h.execute("ALTER TABLE billing.invoice_lines ENABLE TRIGGER invoice_lines_changed_in_drafts_only");
        });

        assertThat(harness.verify(december).differences()).singleElement().satisfies(difference -> {
            assertThat(difference.stored().lineId()).isEqualTo(adjustment.id());
            assertThat(difference.expected().previousQuantity()).isEqualByComparingTo("3");
            assertThat(difference.stored().previousQuantity()).isEqualByComparingTo("2");
        });
    }
}
