package dev.tally.billing.creditnote;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingFixtures;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.billing.InvoiceFixtures.Usage;
import dev.tally.billing.invoice.UsagePeriod;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database guards what a credit note of late usage records (V32), in plain SQL: the line it corrects is of its
 * own invoice, only a {@code usage_corrected} note corrects a line, and with a quantity; a ledger row billed by such
 * a note is billed (its invoice line set) and marked with the very line the note corrects. The same statements
 * within the rules are accepted, so each refusal is the rule and not another constraint.
 */
class LateUsageCreditSchemaIT {

    private static final UsagePeriod NOV =
            new UsagePeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final Instant ISSUED = Instant.parse("2026-12-01T00:00:02Z");

    private Jdbi jdbi;
    private BillingFixtures fixtures;
    private InvoiceFixtures invoices;
    private int sequence;

    @BeforeEach
    void setUp() {
        fixtures = BillingFixtures.migrated();
        jdbi = fixtures.jdbi();
        invoices = new InvoiceFixtures(jdbi);
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_a', 'Acme')");
            h.execute("INSERT INTO billing.customers (id, organization_id, livemode, external_id) VALUES"
                    + " ('cus_a', 'org_a', false, 'ext_a')");
        });
        invoices.price("org_a", "price_a", "ai_call", "USD", "0.05");
    }

    /** An open invoice of org_a: 200 calls, 10.00 USD; its line is {@code <id>_l1}. */
    private String open() {
        return invoices.issue(
                "org_a", "cus_a", "USD", NOV, ISSUED, List.of(new Usage("price_a", "ai_call", "200", "0.05", 1000)));
    }

    private String note(String invoice, String reason, String correctsLine, String correctedQuantity) {
        String id = "cn_" + (++sequence);
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO billing.credit_notes (id, number, sequence, organization_id, livemode, invoice_id,"
                        + " customer_id, currency, reason, outcome, amount_minor, pre_payment_minor,"
                        + " post_payment_minor, corrects_line_id, corrected_quantity) VALUES (?, ?, ?, 'org_a', false,"
                        + " ?, 'cus_a', 'USD', ?, 'credit', 5, 5, 0, ?, CAST(? AS numeric))",
                id,
                "CN-" + sequence,
                sequence,
                invoice,
                reason,
                correctsLine,
                correctedQuantity));
        return id;
    }

    /** A note of the billing cycle: it corrects {@code correctsLine} in the place of the adjustment keyed {@code key}. */
    private String plannedNote(String invoice, String correctsLine, String key) {
        String id = "cn_" + (++sequence);
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO billing.credit_notes (id, number, sequence, organization_id, livemode, invoice_id,"
                        + " customer_id, currency, reason, outcome, amount_minor, pre_payment_minor,"
                        + " post_payment_minor, corrects_line_id, corrected_quantity, planned_key, planned_quantity,"
                        + " planned_event_count) VALUES (?, ?, ?, 'org_a', false, ?, 'cus_a', 'USD', 'usage_corrected',"
                        + " 'credit', 5, 5, 0, ?, CASE WHEN CAST(? AS text) IS NULL THEN NULL ELSE 1 END, ?, 10, 2)",
                id,
                "CN-" + sequence,
                sequence,
                invoice,
                correctsLine,
                correctsLine,
                key));
        return id;
    }

    @Test
    void shouldRefuseASecondNoteInThePlaceOfTheSameAdjustmentKey() {
        String invoice = open();
        assertThatCode(() -> plannedNote(invoice, invoice + "_l1", "adjustment|k|1"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> plannedNote(invoice, invoice + "_l1", "adjustment|k|1"))
                .hasMessageContaining("credit_notes_planned_once");
        assertThatThrownBy(() -> plannedNote(invoice, null, "adjustment|k|2"))
                .hasMessageContaining("credit_notes_planned_corrects");
        assertThatCode(() -> plannedNote(invoice, invoice + "_l1", "adjustment|k|2"))
                .doesNotThrowAnyException();
    }

    /** A new un-billed ledger row of org_a's customer; its id. */
    private long row() {
        String aggregate = fixtures.statement("org_a", "ext_a", "ai_call", Instant.parse("2026-11-02T10:00:00Z"))
                .aggregateId("agg_" + (++sequence))
                .quantity("1")
                .insert();
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM billing.usage_ledger WHERE aggregate_id = ?")
                .bind(0, aggregate)
                .mapTo(Long.class)
                .one());
    }

    private void mark(long row, String line, String note) {
        jdbi.useHandle(h -> h.execute(
                "UPDATE billing.usage_ledger SET invoice_line_id = ?, credit_note_id = ? WHERE id = ?",
                line,
                note,
                row));
    }

    @Test
    void shouldRefuseACorrectionOfALineOfAnotherInvoice() {
        String invoice = open();
        String other = open();
        assertThatThrownBy(() -> note(invoice, "usage_corrected", other + "_l1", "1"))
                .hasMessageContaining("which is not of its invoice");
        assertThatCode(() -> note(invoice, "usage_corrected", invoice + "_l1", "1"))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseACorrectionForAnotherReasonOrWithoutItsQuantity() {
        String invoice = open();
        assertThatThrownBy(() -> note(invoice, "duplicate", invoice + "_l1", "1"))
                .hasMessageContaining("credit_notes_correction_is_usage_corrected");
        assertThatThrownBy(() -> note(invoice, "usage_corrected", invoice + "_l1", null))
                .hasMessageContaining("credit_notes_correction_whole");
        assertThatThrownBy(() -> note(invoice, "usage_corrected", null, "1"))
                .hasMessageContaining("credit_notes_correction_whole");
        assertThatCode(() -> note(invoice, "duplicate", null, null)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseALedgerRowBilledByANoteButNotMarkedWithTheLineItCorrects() {
        String invoice = open();
        String other = open();
        String note = note(invoice, "usage_corrected", invoice + "_l1", "1");
        assertThatThrownBy(() -> mark(row(), null, note)).hasMessageContaining("usage_ledger_credit_note_marks_billed");
        assertThatThrownBy(() -> mark(row(), other + "_l1", note))
                .hasMessageContaining("must be marked with the line its credit note corrects");
        String manual = note(invoice, "usage_corrected", null, null);
        assertThatThrownBy(() -> mark(row(), invoice + "_l1", manual))
                .hasMessageContaining("must be marked with the line its credit note corrects");
        assertThatCode(() -> mark(row(), invoice + "_l1", note)).doesNotThrowAnyException();
    }
}
