package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingFixtures;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The invoice lifecycle as the database enforces it (V26), with plain SQL: every transition between two
 * statuses is tried, the legal ones are accepted and all others refused with integrity_constraint_violation,
 * and a legal transition that also changes another column is refused too.
 *
 * <pre>
 *   draft ──▶ finalized ──▶ paid
 *                 ├──▶ void
 *                 └──▶ uncollectible ──▶ paid | void
 * </pre>
 */
class InvoiceLifecycleIT {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant FINALIZED_AT = Instant.parse("2026-12-01T00:00:10Z");

    private static final List<String> STATUSES = List.of("draft", "finalized", "paid", "void", "uncollectible");
    private static final Set<Map.Entry<String, String>> LEGAL = Set.of(
            Map.entry("draft", "finalized"),
            Map.entry("finalized", "paid"),
            Map.entry("finalized", "void"),
            Map.entry("finalized", "uncollectible"),
            Map.entry("uncollectible", "paid"),
            Map.entry("uncollectible", "void"));

    /**
     * What an UPDATE to each status sets: everything that status's CHECKs ask for and nothing of the other
     * statuses, so that only the transition rule can refuse it.
     */
    private static final Map<String, String> SET_TO = Map.of(
            "draft",
            "status = 'draft', due_at = NULL, overdue_notified_at = NULL, paid_at = NULL, voided_at = NULL,"
                    + " void_reason = NULL, uncollectible_at = NULL, uncollectible_reason = NULL",
            "finalized",
            "status = 'finalized', finalized_at = coalesce(finalized_at, now()), due_at = coalesce(due_at,"
                    + " now() + interval '30 days'), paid_at = NULL, paid_out_of_band = false,"
                    + " paid_out_of_band_by = NULL, voided_at = NULL, void_reason = NULL, uncollectible_at = NULL,"
                    + " uncollectible_reason = NULL",
            "paid",
            "status = 'paid', finalized_at = coalesce(finalized_at, now()), due_at = coalesce(due_at,"
                    + " now() + interval '30 days'), paid_at = now(), voided_at = NULL, void_reason = NULL",
            "void",
            "status = 'void', finalized_at = coalesce(finalized_at, now()), due_at = coalesce(due_at,"
                    + " now() + interval '30 days'), voided_at = now(), void_reason = 'issued in error',"
                    + " paid_at = NULL, paid_out_of_band = false, paid_out_of_band_by = NULL",
            "uncollectible",
            "status = 'uncollectible', finalized_at = coalesce(finalized_at, now()), due_at = coalesce(due_at,"
                    + " now() + interval '30 days'), uncollectible_at = coalesce(uncollectible_at, now()),"
                    + " uncollectible_reason = coalesce(uncollectible_reason, 'customer insolvent'),"
                    + " paid_at = NULL, paid_out_of_band = false, paid_out_of_band_by = NULL, voided_at = NULL,"
                    + " void_reason = NULL");

    /** The legal path to each status from a draft. */
    private static final Map<String, List<String>> PATH = Map.of(
            "draft", List.of(),
            "finalized", List.of("finalized"),
            "paid", List.of("finalized", "paid"),
            "void", List.of("finalized", "void"),
            "uncollectible", List.of("finalized", "uncollectible"));

    private Jdbi jdbi;
    private final AtomicInteger periods = new AtomicInteger();

    @BeforeEach
    void setUp() {
        BillingFixtures fixtures = BillingFixtures.migrated();
        jdbi = fixtures.jdbi();
        fixtures.catalog("org_1", "cus_1", "c1", "ai_call", "price_1", new BigDecimal("0.05"));
    }

    /** A draft {@code id} with one line of 150 cents, its total already 150 (what finalizing checks). */
    private void draft(String id) {
        jdbi.useTransaction(h -> {
            // closed periods of an organization and mode never overlap (V27): each draft has a day of its own
            Instant from = START.plus(Duration.ofDays(periods.getAndIncrement()));
            long period = new BillingPeriodDao(h).insertPeriod("org_1", false, from, from.plus(Duration.ofDays(1)));
            InvoiceDao dao = new InvoiceDao(h);
            dao.insertDraft(new InvoiceDraft(
                    id, "INV-" + id, "org_1", false, "cus_1", "c1", period, null, "USD", new UsagePeriod(START, END)));
            dao.insertLine(
                    new InvoiceLine(
                            "il_" + id,
                            id,
                            LineKind.USAGE,
                            "price_1",
                            "ai_call",
                            new BigDecimal("30"),
                            new BigDecimal("0.05"),
                            150,
                            new UsagePeriod(START, END),
                            null),
                    1);
            h.execute("UPDATE billing.invoices SET total_minor = 150 WHERE id = ?", id);
        });
    }

    /** Invoice {@code id} brought to {@code status} by legal transitions. */
    private void invoiceIn(String id, String status) {
        draft(id);
        PATH.get(status).forEach(next -> update(id, SET_TO.get(next)));
    }

    private void update(String id, String set) {
        jdbi.useHandle(h -> h.execute("UPDATE billing.invoices SET " + set + " WHERE id = ?", id));
    }

    private String status(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM billing.invoices WHERE id = :id")
                .bind("id", id)
                .mapTo(String.class)
                .one());
    }

    private static String sqlState(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                return e.getSQLState();
            }
        }
        return null;
    }

    /** integrity_constraint_violation, what the transition trigger raises (a CHECK would be 23514). */
    private static void assertRefusedByTheLifecycle(Throwable thrown) {
        assertThat(sqlState(thrown)).as("SQL state of %s", thrown).isEqualTo("23000");
    }

    static List<Arguments> transitions() {
        return STATUSES.stream()
                .flatMap(from -> STATUSES.stream()
                        .filter(to -> !to.equals(from))
                        .map(to -> Arguments.of(from, to, LEGAL.contains(Map.entry(from, to)))))
                .toList();
    }

    @ParameterizedTest(name = "{0} -> {1}: legal {2}")
    @MethodSource("transitions")
    void shouldAcceptExactlyTheLegalTransitions(String from, String to, boolean legal) {
        invoiceIn("inv_t", from);

        if (legal) {
            update("inv_t", SET_TO.get(to));
            assertThat(status("inv_t")).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> update("inv_t", SET_TO.get(to)))
                    .satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
            assertThat(status("inv_t")).isEqualTo(from);
        }
    }

    @Test
    void shouldRefuseADraftGoingStraightToPaidVoidOrUncollectibleEvenWithEveryColumnSet() {
        draft("inv_d");

        for (String to : List.of("paid", "void", "uncollectible")) {
            assertThatThrownBy(() -> update("inv_d", SET_TO.get(to)))
                    .hasStackTraceContaining("is a draft")
                    .satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
        }
        assertThat(status("inv_d")).isEqualTo("draft");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "total_minor = 0",
                "currency = 'EUR'",
                "number = 'INV-other'",
                "finalized_at = finalized_at + interval '1 second'",
                "due_at = due_at + interval '1 day'",
                "period_end = period_end + interval '1 day'",
                "livemode = NOT livemode",
            })
    void shouldRefuseAChangeOfAnyOtherColumnOfAFinalizedInvoice(String set) {
        invoiceIn("inv_f", "finalized");

        assertThatThrownBy(() -> update("inv_f", set)).satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
    }

    @ParameterizedTest
    @ValueSource(strings = {"paid", "void", "uncollectible"})
    void shouldRefuseATransitionThatAlsoChangesTheTotal(String to) {
        invoiceIn("inv_f", "finalized");

        assertThatThrownBy(() -> update("inv_f", SET_TO.get(to) + ", total_minor = 0"))
                .satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
        assertThat(status("inv_f")).isEqualTo("finalized");
    }

    @Test
    void shouldRefuseChangesOfTheColumnsOfAStatusOnceInIt() {
        invoiceIn("inv_p", "paid");
        invoiceIn("inv_v", "void");
        invoiceIn("inv_u", "uncollectible");

        assertThatThrownBy(() -> update("inv_p", "paid_at = now() + interval '1 day'"))
                .satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
        assertThatThrownBy(() -> update("inv_v", "void_reason = 'another reason'"))
                .satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
        assertThatThrownBy(() -> update("inv_u", "uncollectible_reason = 'another reason'"))
                .satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
        assertThatThrownBy(() -> update("inv_u", "overdue_notified_at = due_at"))
                .satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
    }

    @Test
    void shouldKeepTheWriteOffOfAnUncollectibleInvoicePaidLate() {
        invoiceIn("inv_u", "uncollectible");

        update("inv_u", SET_TO.get("paid"));

        Map<String, Object> row = jdbi.withHandle(
                h -> h.createQuery("SELECT status, uncollectible_at IS NOT NULL AS written_off, uncollectible_reason"
                                + " FROM billing.invoices WHERE id = 'inv_u'")
                        .mapToMap()
                        .one());
        assertThat(row)
                .containsEntry("status", "paid")
                .containsEntry("written_off", true)
                .containsEntry("uncollectible_reason", "customer insolvent");
    }

    @Test
    void shouldMarkAnOpenInvoiceOverdueOnceOnly() {
        invoiceIn("inv_f", "finalized");

        assertThatCode(() -> update("inv_f", "overdue_notified_at = due_at")).doesNotThrowAnyException();
        assertThatThrownBy(() -> update("inv_f", "overdue_notified_at = due_at + interval '1 day'"))
                .satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
        assertThatThrownBy(() -> update("inv_f", "overdue_notified_at = NULL"))
                .satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
    }

    @ParameterizedTest
    @ValueSource(strings = {"finalized", "paid", "void", "uncollectible"})
    void shouldRefuseToDeleteAnIssuedInvoice(String status) {
        invoiceIn("inv_x", status);

        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("DELETE FROM billing.invoices WHERE id = 'inv_x'")))
                .satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
    }

    @ParameterizedTest
    @ValueSource(strings = {"paid", "void", "uncollectible"})
    void shouldRefuseAnInvoiceInsertedPastFinalized(String status) {
        jdbi.useTransaction(h -> new BillingPeriodDao(h).insertPeriod("org_1", false, START, END));

        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(
                        "INSERT INTO billing.invoices (id, number,"
                                + " organization_id, livemode, customer_id, billing_period_id, currency, period_start,"
                                + " period_end, status, total_minor, finalized_at, paid_at, voided_at, void_reason,"
                                + " uncollectible_at, uncollectible_reason) SELECT 'inv_i', 'INV-I', 'org_1', false,"
                                + " 'cus_1', id, 'USD', period_start, period_end, ?, 0, now(),"
                                + " CASE WHEN ? = 'paid' THEN now() END, CASE WHEN ? = 'void' THEN now() END,"
                                + " CASE WHEN ? = 'void' THEN 'r' END, CASE WHEN ? = 'uncollectible' THEN now() END,"
                                + " CASE WHEN ? = 'uncollectible' THEN 'r' END FROM billing.billing_periods LIMIT 1",
                        status,
                        status,
                        status,
                        status,
                        status,
                        status)))
                .satisfies(InvoiceLifecycleIT::assertRefusedByTheLifecycle);
    }

    @Test
    void shouldRequireAReasonToVoidOrWriteOff() {
        invoiceIn("inv_f", "finalized");

        assertThatThrownBy(() -> update("inv_f", "status = 'void', voided_at = now()"))
                .hasStackTraceContaining("invoices_void_with_reason");
        assertThatThrownBy(() -> update("inv_f", "status = 'void', voided_at = now(), void_reason = ''"))
                .hasStackTraceContaining("invoices_void_reason_bounded");
        assertThatThrownBy(() -> update("inv_f", "status = 'uncollectible', uncollectible_at = now()"))
                .hasStackTraceContaining("invoices_uncollectible_with_reason");
        assertThatThrownBy(() -> update("inv_f", "status = 'paid', paid_at = now(), paid_out_of_band = true"))
                .hasStackTraceContaining("invoices_out_of_band_by_whom");
        assertThat(status("inv_f")).isEqualTo("finalized");
    }

    private Instant dueAt(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT due_at FROM billing.invoices WHERE id = :id")
                .bind("id", id)
                .mapTo(Instant.class)
                .one());
    }

    private void finalizeAt(String id) {
        jdbi.useHandle(h -> new InvoiceDao(h).finalizeDraft(id, 150, FINALIZED_AT));
    }

    @Test
    void shouldSetTheDueDateAtFinalizationFromTheOrganizationsTermsThirtyDaysByDefault() {
        draft("inv_a");
        assertThat(dueAt("inv_a")).isNull();

        finalizeAt("inv_a");
        jdbi.useHandle(h -> h.execute("UPDATE billing.organizations SET payment_terms_days = 15 WHERE id = 'org_1'"));
        draft("inv_b");
        finalizeAt("inv_b");

        assertThat(dueAt("inv_a")).isEqualTo(FINALIZED_AT.plus(Duration.ofDays(30)));
        assertThat(dueAt("inv_b")).isEqualTo(FINALIZED_AT.plus(Duration.ofDays(15)));
    }

    @Test
    void shouldSetTheDueDateFromTheCustomersOwnTermsOverTheOrganizations() {
        jdbi.useHandle(h -> h.execute("UPDATE billing.customers SET payment_terms_days = 0 WHERE id = 'cus_1'"));
        draft("inv_a");

        finalizeAt("inv_a");

        assertThat(dueAt("inv_a")).isEqualTo(FINALIZED_AT);
    }

    @Test
    void shouldRefuseTermsOtherThanTheNamedOnes() {
        assertThatThrownBy(() -> jdbi.useHandle(
                        h -> h.execute("UPDATE billing.customers SET payment_terms_days = 7 WHERE id = 'cus_1'")))
                .hasStackTraceContaining("customers_payment_terms_days_check");
    }
}
