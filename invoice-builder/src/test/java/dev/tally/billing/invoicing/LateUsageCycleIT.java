package dev.tally.billing.invoicing;

import static dev.tally.billing.invoicing.CycleHarness.CUSTOMER;
import static dev.tally.billing.invoicing.CycleHarness.ORG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.lineage.InvoiceVerifier;
import io.micronaut.serde.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Late usage as credit notes on the billing cycle (real PostgreSQL): subscription sub_1 bills API calls (graduated,
 * 0.02 up to 1,000); March's window of 900 calls (18.00) is invoiced and finalized, then restated to 500 (10.00).
 * With the organization's {@code lateUsageCreditNotes} on, the cycle credits the 8.00 by a {@code usage_corrected}
 * note against March's invoice instead of a negative adjustment line, one bill or a batch alike, once however often
 * it bills again (or bills at once); a later rise is an adjustment from what the note left; March's invoice still verifies. Off, or
 * against a draft (not yet invoiced), the lowering stays an adjustment line.
 */
class LateUsageCycleIT {

    private static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant APR = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2026-04-02T00:00:00Z");
    private static final Instant WINDOW = Instant.parse("2026-03-20T10:00:00Z");

    private final CycleHarness cycle = new CycleHarness();

    private Invoice march() {
        cycle.subscribe("sub_1", MAR, "si_calls", "price_calls");
        cycle.calls(WINDOW, "900", 9);
        cycle.invoicing.bill("sub_1", MAR);
        Invoice march = cycle.invoicing.bill("sub_1", APR).invoice().orElseThrow();
        assertThat(march.totalMinor()).isEqualTo(1800);
        return march;
    }

    private void restate(long revision, String quantity) {
        cycle.fixtures
                .statement(ORG, CUSTOMER, "ai_call", WINDOW)
                .revision(revision)
                .quantity(quantity)
                .events(revision + 1)
                .insert();
    }

    private void creditLateUsage() {
        cycle.jdbi.useHandle(
                h -> h.execute("UPDATE billing.organizations SET late_usage_credit_notes = true WHERE id = ?", ORG));
    }

    private List<Map<String, Object>> notes() {
        return cycle.jdbi.withHandle(
                h -> h.createQuery("SELECT invoice_id, reason, outcome, amount_minor, corrects_line_id, planned_key,"
                                + " (SELECT count(*) FROM billing.credit_note_lines l WHERE l.credit_note_id = cn.id)"
                                + " AS lines FROM billing.credit_notes cn ORDER BY sequence")
                        .mapToMap()
                        .list());
    }

    private String usageLine(Invoice invoice) {
        return cycle.lines(invoice).stream()
                .filter(l -> l.kind() == LineKind.USAGE)
                .findFirst()
                .orElseThrow()
                .id();
    }

    private void assertVerified(Invoice invoice) {
        InvoiceVerifier verifier =
                new InvoiceVerifier(cycle.database, new StoredPriceDefinitions(ObjectMapper.getDefault()));
        assertThat(verifier.verify(ORG, false, invoice.id()).differences()).isEmpty();
    }

    @Test
    void shouldCreditALoweringOfAnInvoicedSpanByACreditNoteOnceAndAdjustALaterRiseFromIt() {
        Invoice march = march();
        creditLateUsage();
        restate(1, "500");

        // only the lowering was due: it is a note, so there is no invoice to write
        assertThat(cycle.invoicing.bill("sub_1", LATER).invoice()).isEmpty();

        assertThat(notes()).singleElement().satisfies(note -> {
            assertThat(note)
                    .containsEntry("invoice_id", march.id())
                    .containsEntry("reason", "usage_corrected")
                    .containsEntry("outcome", "credit")
                    .containsEntry("amount_minor", 800L)
                    .containsEntry("corrects_line_id", usageLine(march))
                    .containsEntry("lines", 0L); // a graduated line has no unit price: by amount
            assertThat((String) note.get("planned_key")).startsWith("adjustment|usage|si_calls|price_calls|");
        });
        long credited = cycle.jdbi.withHandle(
                h -> h.createQuery("SELECT count(*) FROM billing.usage_ledger WHERE credit_note_id IS NOT NULL")
                        .mapTo(Long.class)
                        .one());
        assertThat(credited).isOne();

        // billing again finds the span billed: no second note, no line
        assertThat(cycle.invoicing.bill("sub_1", LATER).invoice()).isEmpty();
        assertThat(notes()).hasSize(1);
        assertVerified(march);

        // risen to 700 (14.00) from the 500 (10.00) the note left: +4.00, the key's next revision
        restate(2, "700");
        Invoice risen = cycle.invoicing.bill("sub_1", LATER).invoice().orElseThrow();
        assertThat(cycle.lines(risen))
                .extracting(
                        InvoiceLine::kind,
                        l -> l.previousQuantity().intValue(),
                        l -> l.quantity().intValue(),
                        InvoiceLine::amountMinor)
                .containsExactly(tuple(LineKind.ADJUSTMENT, 500, 200, 400L));
        assertThat(notes()).hasSize(1);
        assertVerified(risen);
        assertVerified(march);
    }

    @Test
    void shouldIssueOneNoteWhenTheSameSubscriptionIsBilledAtOnce() throws Exception {
        march();
        creditLateUsage();
        restate(1, "500");
        int bills = 4;
        ExecutorService pool = Executors.newFixedThreadPool(bills);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int i = 0; i < bills; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    return cycle.invoicing.bill("sub_1", LATER);
                }));
            }
            start.countDown();
            for (Future<?> bill : done) {
                bill.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(notes()).singleElement().satisfies(note -> assertThat(note).containsEntry("amount_minor", 800L));
        assertThat(cycle.invoicesOf("sub_1")).hasSize(1);
    }

    @Test
    void shouldCreditALoweringInABatchBillAndApplyWhatItCreditedOfAPaidInvoiceToTheInvoiceWritten() {
        Invoice march = march();
        cycle.jdbi.useHandle(h ->
                h.execute("UPDATE billing.invoices SET status = 'paid', paid_at = now() WHERE id = ?", march.id()));
        creditLateUsage();
        restate(1, "500");
        // April's usage, billed with the note by one batch: its invoice applies the note's 8.00 of credit
        cycle.calls(Instant.parse("2026-04-10T10:00:00Z"), "1000", 10);

        BatchInvoicing.Result result = cycle.jdbi.inTransaction(
                h -> cycle.invoicing.billAllIn(h, List.of("sub_1"), Instant.parse("2026-05-01T00:00:00Z")));

        assertThat(result.invoiced()).containsExactly("sub_1");
        assertThat(notes()).singleElement().satisfies(note -> assertThat(note).containsEntry("amount_minor", 800L));
        Invoice april = cycle.invoicesOf("sub_1").getLast();
        assertThat(cycle.lines(april))
                .extracting(InvoiceLine::kind, InvoiceLine::amountMinor)
                .containsExactly(tuple(LineKind.USAGE, 2000L), tuple(LineKind.CREDIT_APPLIED, -800L));
        assertVerified(april);
    }

    @Test
    void shouldBillALoweringAsANegativeAdjustmentLineWhenTheSettingIsOff() {
        march();
        restate(1, "500");

        Invoice adjusted = cycle.invoicing.bill("sub_1", LATER).invoice().orElseThrow();

        assertThat(cycle.lines(adjusted))
                .extracting(InvoiceLine::kind, InvoiceLine::amountMinor)
                // a negative total is carried forward as credit, as before
                .containsExactly(tuple(LineKind.ADJUSTMENT, -800L), tuple(LineKind.CREDIT_CARRIED_FORWARD, 800L));
        assertThat(notes()).isEmpty();
    }

    @Test
    void shouldBillALoweringOfASpanStillOnADraftAsAnAdjustmentLine() {
        cycle.jdbi.useHandle(h -> h.execute(
                "UPDATE billing.organizations SET auto_finalize_delay_seconds = 3600, late_usage_credit_notes = true"
                        + " WHERE id = ?",
                ORG));
        cycle.subscribe("sub_1", MAR, "si_calls", "price_calls");
        cycle.calls(WINDOW, "900", 9);
        Invoice draft = cycle.invoicing.bill("sub_1", APR).invoice().orElseThrow();
        assertThat(draft.status()).isEqualTo("draft");
        restate(1, "500");

        Invoice adjusted = cycle.invoicing.bill("sub_1", LATER).invoice().orElseThrow();

        assertThat(cycle.lines(adjusted))
                .extracting(InvoiceLine::kind, InvoiceLine::amountMinor)
                // a negative total is carried forward as credit, as before
                .containsExactly(tuple(LineKind.ADJUSTMENT, -800L), tuple(LineKind.CREDIT_CARRIED_FORWARD, 800L));
        assertThat(notes()).isEmpty();
    }
}
