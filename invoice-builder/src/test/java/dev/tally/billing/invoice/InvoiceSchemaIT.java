package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tally.billing.BillingFixtures;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
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

    private final AtomicInteger periods = new AtomicInteger();

    /** Closes another billing period of org_1, after the others: closed periods never overlap (V27). */
    private long closedPeriod(Handle h) {
        Instant from = START.plus(Duration.ofDays(periods.getAndIncrement()));
        return new BillingPeriodDao(h).insertPeriod("org_1", false, from, from.plus(Duration.ofDays(1)));
    }

    /** Creates a finalized invoice {@code id} with one line of 150 cents. */
    private void finalizedInvoice(String id) {
        jdbi.useTransaction(h -> {
            long period = closedPeriod(h);
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
                    long period = closedPeriod(h);
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
    void shouldRefuseToFinalizeAnInvoiceWhoseTotalIsNotTheSumOfItsLines() {
        assertThatThrownBy(() -> jdbi.useTransaction(h -> {
                    long period = closedPeriod(h);
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
    void shouldRefuseAnInvoiceWrittenIssuedWithATotalItsLinesDoNotMake() {
        jdbi.useTransaction(h -> closedPeriod(h));
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("INSERT INTO billing.invoices (id, number,"
                        + " organization_id, livemode, customer_id, billing_period_id, currency, period_start,"
                        + " period_end, status, total_minor, finalized_at) SELECT 'inv_4', 'INV-4', 'org_1', false,"
                        + " 'cus_1', id, 'USD', period_start, period_end, 'finalized', 15, now()"
                        + " FROM billing.billing_periods LIMIT 1")))
                .hasStackTraceContaining("invoice inv_4 total 15 differs from the sum of its lines 0");
    }

    @Test
    void shouldRefuseToMoveALineToAnotherInvoice() {
        jdbi.useTransaction(h -> {
            long period = closedPeriod(h);
            InvoiceDao dao = new InvoiceDao(h);
            dao.insertDraft(draft("inv_a", "INV-A", "org_1", false, "cus_1", period, END));
            dao.insertDraft(draft("inv_b", "INV-B", "org_1", false, "cus_1", period, END));
            dao.insertLine(usageLine("il_a", "inv_a", new BigDecimal("3"), 15), 1);
        });

        assertThatThrownBy(() -> jdbi.useHandle(
                        h -> h.execute("UPDATE billing.invoice_lines SET invoice_id = 'inv_b' WHERE id = 'il_a'")))
                .hasStackTraceContaining("invoice line il_a cannot move to another invoice");
    }

    /**
     * The line checks run once per statement, not per row: a statement that writes lines of several invoices
     * is refused whole when one of them is issued.
     */
    @Test
    void shouldRefuseAStatementWritingLinesOfADraftAndOfAFinalizedInvoice() {
        finalizedInvoice("inv_1");
        jdbi.useTransaction(h -> {
            long period = closedPeriod(h);
            new InvoiceDao(h).insertDraft(draft("inv_d", "INV-D", "org_1", false, "cus_1", period, END));
        });

        assertThatThrownBy(() -> jdbi.useTransaction(h -> new InvoiceDao(h)
                        .insertLines(List.of(
                                usageLine("il_d", "inv_d", BigDecimal.ONE, 5),
                                usageLine("il_x", "inv_1", BigDecimal.ONE, 5)))))
                .hasStackTraceContaining("invoice inv_1 is finalized: its lines cannot be changed");
        long written =
                jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM billing.invoice_lines WHERE id = 'il_d'")
                        .mapTo(Long.class)
                        .one());
        assertThat(written).isZero();
    }

    /**
     * A line written to a draft while another transaction finalizes it: the finalization waits for the line's
     * transaction (its check locks the invoice) and then counts the line, so the total it was given, without the
     * line, is refused; an issued invoice never has lines its total does not count.
     */
    @Test
    void shouldMakeAFinalizationWaitForALineAddedConcurrentlyAndThenCountIt() throws Exception {
        jdbi.useTransaction(h -> {
            long period = closedPeriod(h);
            InvoiceDao dao = new InvoiceDao(h);
            dao.insertDraft(draft("inv_c", "INV-C", "org_1", false, "cus_1", period, END));
            dao.insertLine(usageLine("il_c1", "inv_c", new BigDecimal("3"), 15), 1);
        });
        ExecutorService finalizer = Executors.newSingleThreadExecutor();
        try (Handle lineWriter = jdbi.open()) {
            lineWriter.begin();
            new InvoiceDao(lineWriter).insertLine(usageLine("il_c2", "inv_c", new BigDecimal("2"), 10), 2);

            Future<?> finalization = finalizer.submit(
                    () -> jdbi.useTransaction(h -> new InvoiceDao(h).finalizeDraft("inv_c", 15, Instant.now())));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> jdbi.withHandle(h -> h.createQuery(
                                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                                    + " AND query LIKE 'UPDATE billing.invoices%'")
                                    .mapTo(Long.class)
                                    .one())
                            == 1);
            lineWriter.commit();

            assertThatThrownBy(finalization::get)
                    .hasStackTraceContaining("invoice inv_c total 15 differs from the sum of its lines 25");
        } finally {
            finalizer.shutdownNow();
        }
        assertThat(jdbi.withHandle(h -> new InvoiceDao(h).invoice("org_1", false, "inv_c"))
                        .orElseThrow()
                        .status())
                .isEqualTo("draft");
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
