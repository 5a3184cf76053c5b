package dev.tally.billing.creditnote;

import static org.assertj.core.api.Assertions.assertThat;
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
 * The database itself guards credit notes (V29), whatever writes them: plain SQL is refused for a credit note of
 * a draft or void invoice, credit notes above the invoice's total, a line of another invoice or credited beyond
 * itself, a credit note naming another tenant's invoice, and any change of an issued credit note; the same
 * statements within the rules are accepted (so each refusal is the rule, not another constraint).
 */
class CreditNoteSchemaIT {

    private static final UsagePeriod NOV =
            new UsagePeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final Instant ISSUED = Instant.parse("2026-12-01T00:00:02Z");

    private Jdbi jdbi;
    private InvoiceFixtures invoices;
    private int sequence;

    @BeforeEach
    void setUp() {
        jdbi = BillingFixtures.migrated().jdbi();
        invoices = new InvoiceFixtures(jdbi);
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_a', 'Acme'), ('org_b', 'Beta')");
            h.execute("INSERT INTO billing.customers (id, organization_id, livemode, external_id) VALUES"
                    + " ('cus_a', 'org_a', false, 'ext_a'), ('cus_b', 'org_b', false, 'ext_b')");
        });
        invoices.price("org_a", "price_a", "ai_call", "USD", "0.05");
        invoices.price("org_b", "price_b", "ai_call", "USD", "0.05");
    }

    /** An open invoice of org_a: 200 calls, 10.00 USD. */
    private String open() {
        return invoices.issue(
                "org_a", "cus_a", "USD", NOV, ISSUED, List.of(new Usage("price_a", "ai_call", "200", "0.05", 1000)));
    }

    private String note(String org, String invoice, String customer, long amount) {
        String id = "cn_" + (++sequence);
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO billing.credit_notes (id, number, sequence, organization_id, livemode, invoice_id,"
                        + " customer_id, currency, reason, outcome, amount_minor, pre_payment_minor, post_payment_minor)"
                        + " VALUES (?, ?, ?, ?, false, ?, ?, 'USD', 'duplicate', 'credit', ?, ?, 0)",
                id,
                "CN-" + sequence,
                sequence,
                org,
                invoice,
                customer,
                amount,
                amount));
        return id;
    }

    private void line(String note, int position, String invoiceLine, String quantity, long amount) {
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO billing.credit_note_lines (credit_note_id, position, invoice_line_id, quantity, amount_minor)"
                        + " VALUES (?, ?, ?, CAST(? AS numeric), ?)",
                note,
                position,
                invoiceLine,
                quantity,
                amount));
    }

    @Test
    void shouldRefuseCreditNotesAddingUpAboveTheInvoiceTotal() {
        String invoice = open();
        assertThatCode(() -> note("org_a", invoice, "cus_a", 600)).doesNotThrowAnyException();
        assertThatCode(() -> note("org_a", invoice, "cus_a", 400)).doesNotThrowAnyException();
        assertThatThrownBy(() -> note("org_a", invoice, "cus_a", 1)).hasMessageContaining("above its total 1000");
    }

    @Test
    void shouldRefuseACreditNoteOfADraftOrVoidInvoiceButTakeOneOfAPaidOrUncollectibleOne() {
        String draft = invoices.draft(
                "org_a", "cus_a", "USD", NOV, ISSUED, List.of(new Usage("price_a", "ai_call", "1", "0.05", 5)));
        assertThatThrownBy(() -> note("org_a", draft, "cus_a", 1)).hasMessageContaining("is draft");

        String voided = open();
        jdbi.useHandle(h -> h.execute(
                "UPDATE billing.invoices SET status = 'void', voided_at = now(), void_reason = 'x' WHERE id = ?",
                voided));
        assertThatThrownBy(() -> note("org_a", voided, "cus_a", 1)).hasMessageContaining("is void");

        String uncollectible = open();
        jdbi.useHandle(h -> h.execute(
                "UPDATE billing.invoices SET status = 'uncollectible', uncollectible_at = now(),"
                        + " uncollectible_reason = 'x' WHERE id = ?",
                uncollectible));
        assertThatCode(() -> note("org_a", uncollectible, "cus_a", 1)).doesNotThrowAnyException();
        String paid = open();
        jdbi.useHandle(
                h -> h.execute("UPDATE billing.invoices SET status = 'paid', paid_at = now() WHERE id = ?", paid));
        assertThatCode(() -> note("org_a", paid, "cus_a", 1)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseACreditNoteNamingAnotherTenantsInvoiceOrAnotherCustomer() {
        String invoice = open();
        jdbi.useHandle(h -> h.execute("INSERT INTO billing.customers (id, organization_id, livemode, external_id)"
                + " VALUES ('cus_a2', 'org_a', false, 'ext_a2')"));
        // the invoice and customer are org_a's, the credit note org_b's: no such invoice (or customer) of org_b
        assertThatThrownBy(() -> note("org_b", invoice, "cus_a", 1)).hasMessageContaining("_of_tenant");
        assertThatThrownBy(() -> note("org_a", invoice, "cus_a2", 1)).hasMessageContaining("of its invoice's customer");
        assertThatCode(() -> note("org_a", invoice, "cus_a", 1)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseALineOfAnotherInvoiceOrCreditedBeyondItself() {
        String invoice = open();
        String other = open();
        String note = note("org_a", invoice, "cus_a", 900);
        assertThatThrownBy(() -> line(note, 0, other + "_l1", "1", 5)).hasMessageContaining("is not of the invoice");
        assertThatCode(() -> line(note, 0, invoice + "_l1", "150", 750)).doesNotThrowAnyException();
        assertThatThrownBy(() -> line(note, 1, invoice + "_l1", "51", 5)).hasMessageContaining("beyond its quantity");
        assertThatThrownBy(() -> line(note, 1, invoice + "_l1", "1", 251)).hasMessageContaining("beyond its quantity");
        assertThatCode(() -> line(note, 1, invoice + "_l1", "50", 250)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAnyChangeOfAnIssuedCreditNoteOrItsLines() {
        String invoice = open();
        String note = note("org_a", invoice, "cus_a", 100);
        line(note, 0, invoice + "_l1", "20", 100);
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(
                        "UPDATE billing.credit_notes SET amount_minor = 50, pre_payment_minor = 50 WHERE id = ?",
                        note)))
                .hasMessageContaining("immutable");
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("DELETE FROM billing.credit_notes WHERE id = ?", note)))
                .hasMessageContaining("immutable");
        assertThatThrownBy(() -> jdbi.useHandle(h ->
                        h.execute("UPDATE billing.credit_note_lines SET quantity = 1 WHERE credit_note_id = ?", note)))
                .hasMessageContaining("immutable");
        assertThatThrownBy(() -> jdbi.useHandle(
                        h -> h.execute("DELETE FROM billing.credit_note_lines WHERE credit_note_id = ?", note)))
                .hasMessageContaining("immutable");
    }

    @Test
    void shouldGiveEveryOrganizationACreditNoteCounterPerMode() {
        jdbi.useHandle(h -> h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_c', 'Gamma')"));
        List<Boolean> modes = jdbi.withHandle(h -> h.createQuery("SELECT livemode FROM billing.credit_note_counters"
                        + " WHERE organization_id = 'org_c' AND next_number = 1 ORDER BY livemode")
                .mapTo(Boolean.class)
                .list());
        assertThat(modes).containsExactly(false, true);
    }
}
