package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingFixtures;
import java.math.BigDecimal;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the database itself guarantees about invoices, whatever the code above it does. */
class InvoiceSchemaIT {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");

    private BillingFixtures fixtures;
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        fixtures = BillingFixtures.migrated();
        jdbi = fixtures.jdbi();
        fixtures.catalog("org_1", "cus_1", "c1", "ai_call", "price_1", new BigDecimal("0.05"));
    }

    /** Creates a finalized invoice {@code id} with one line of 150 cents. */
    private void finalizedInvoice(String id) {
        jdbi.useTransaction(h -> {
            long period = new BillingPeriodDao(h).insertPeriod("org_1", false, START, END.plusSeconds(id.hashCode()));
            InvoiceDao dao = new InvoiceDao(h);
            dao.insertDraft(draft(id, "INV-" + id, "org_1", false, "cus_1", period, END));
            dao.insertLine(usageLine("il_" + id, id, new BigDecimal("30"), 150), 1);
            dao.finalizeDraft(id, 150, Instant.now());
        });
    }

    private static InvoiceDraft draft(
            String id, String number, String org, boolean livemode, String customer, long period, Instant end) {
        return new InvoiceDraft(
                id, number, org, livemode, customer, "ext_1", period, null, "USD", new UsagePeriod(START, end));
    }

    private static InvoiceLine usageLine(String id, String invoiceId, BigDecimal quantity, long amountMinor) {
        return new InvoiceLine(
                id,
                invoiceId,
                LineKind.USAGE,
                "price_1",
                "ai_call",
                quantity,
                new BigDecimal("0.05"),
                amountMinor,
                new UsagePeriod(START, END),
                null);
    }

    @Test
    void shouldRefuseANegativeInvoiceTotal() {
        assertThatThrownBy(() -> jdbi.useTransaction(h -> {
                    long period = new BillingPeriodDao(h).insertPeriod("org_1", false, START, END);
                    InvoiceDao dao = new InvoiceDao(h);
                    dao.insertDraft(draft("inv_3", "INV-3", "org_1", false, "cus_1", period, END));
                    dao.insertLine(usageLine("il_3", "inv_3", new BigDecimal("-3"), -15), 1);
                    dao.finalizeDraft("inv_3", -15, Instant.now());
                }))
                .isInstanceOf(JdbiException.class)
                .hasStackTraceContaining("invoices_total_not_negative");
    }

    @Test
    void shouldRefuseToUpdateAFinalizedInvoice() {
        finalizedInvoice("inv_1");

        assertThatThrownBy(() -> jdbi.useHandle(
                        h -> h.execute("UPDATE billing.invoices SET currency = 'EUR' WHERE id = 'inv_1'")))
                .isInstanceOf(JdbiException.class)
                .hasMessageContaining("cannot be changed");
        assertThatThrownBy(() -> jdbi.useHandle(
                        h -> h.execute("UPDATE billing.invoices SET status = 'draft' WHERE id = 'inv_1'")))
                .hasMessageContaining("cannot be changed");
    }

    @Test
    void shouldRefuseToDeleteAFinalizedInvoice() {
        finalizedInvoice("inv_1");

        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("DELETE FROM billing.invoices WHERE id = 'inv_1'")))
                .hasMessageContaining("cannot be changed");
    }

    @Test
    void shouldRefuseToAddChangeOrRemoveLinesOfAFinalizedInvoice() {
        finalizedInvoice("inv_1");

        assertThatThrownBy(() -> jdbi.useHandle(
                        h -> h.execute("UPDATE billing.invoice_lines SET amount_minor = 1 WHERE invoice_id = 'inv_1'")))
                .hasMessageContaining("cannot be changed");
        assertThatThrownBy(() ->
                        jdbi.useHandle(h -> h.execute("DELETE FROM billing.invoice_lines WHERE invoice_id = 'inv_1'")))
                .hasMessageContaining("cannot be changed");
        assertThatThrownBy(() -> jdbi.useHandle(
                        h -> new InvoiceDao(h).insertLine(usageLine("il_x", "inv_1", BigDecimal.ONE, 100), 1)))
                .hasMessageContaining("cannot be changed");
    }

    @Test
    void shouldAllowOnlyThePaymentOfAFinalizedInvoiceAndThenNothing() {
        finalizedInvoice("inv_1");

        boolean paid = jdbi.inTransaction(h -> new InvoiceDao(h).markPaid("inv_1", Instant.now()));

        assertThat(paid).isTrue();
        assertThat(jdbi.withHandle(h -> new InvoiceDao(h).invoice("org_1", false, "inv_1"))
                        .orElseThrow()
                        .status())
                .isEqualTo("paid");
        assertThatThrownBy(() -> jdbi.useHandle(
                        h -> h.execute("UPDATE billing.invoices SET paid_at = now() WHERE id = 'inv_1'")))
                .hasMessageContaining("cannot be changed");
    }

    @Test
    void shouldRefuseAPaymentTransitionThatAlsoChangesTheTotal() {
        finalizedInvoice("inv_1");

        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("UPDATE billing.invoices"
                        + " SET status = 'paid', paid_at = now(), total_minor = 0 WHERE id = 'inv_1'")))
                .hasMessageContaining("cannot be changed");
    }

    @Test
    void shouldRefuseToCommitAnInvoiceWhoseTotalIsNotTheSumOfItsLines() {
        assertThatThrownBy(() -> jdbi.useTransaction(h -> {
                    long period = new BillingPeriodDao(h).insertPeriod("org_1", false, START, END);
                    InvoiceDao dao = new InvoiceDao(h);
                    dao.insertDraft(draft("inv_2", "INV-2", "org_1", false, "cus_1", period, END));
                    dao.insertLine(usageLine("il_2", "inv_2", new BigDecimal("3"), 15), 1);
                    dao.finalizeDraft("inv_2", 16, Instant.now());
                }))
                .isInstanceOf(JdbiException.class)
                .hasStackTraceContaining("differs from the sum of its lines");
        long invoices = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM billing.invoices")
                .mapTo(Long.class)
                .one());
        assertThat(invoices).isZero();
    }

    @Test
    void shouldRefuseToChangeABilledLedgerRow() {
        finalizedInvoice("inv_1");
        fixtures.ledgerRow("agg_1", "org_1", "c1", "ai_call", START, "30");
        jdbi.useHandle(h -> h.execute("UPDATE billing.usage_ledger SET invoice_line_id = 'il_inv_1'"));

        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("UPDATE billing.usage_ledger SET quantity = 1")))
                .hasMessageContaining("is billed");
    }
}
