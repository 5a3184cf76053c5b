package dev.tally.billing.draft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingFixtures;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.billing.InvoiceFixtures.Usage;
import dev.tally.billing.invoice.UsagePeriod;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the database itself refuses of drafts and one-off lines (V30 with V17/V26/V28), in plain SQL: lines added
 * to or removed from an invoice that is no longer a draft, whatever their kind; a one-off line with a price, a
 * span, no description or no positive quantity; a memo or footer out of bounds or changed once issued; an
 * auto-finalize delay outside 0 to 30 days.
 */
class DraftSchemaIT {

    private static final UsagePeriod NOV =
            new UsagePeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final String ONE_OFF = "INSERT INTO billing.invoice_lines (id, invoice_id, kind, quantity,"
            + " unit_amount, amount_minor, description, line_number) VALUES (?, ?, 'one_off', 1, 5, 500, 'Setup', 9)";

    private Jdbi jdbi;
    private InvoiceFixtures invoices;

    @BeforeEach
    void setUp() {
        BillingFixtures fixtures = BillingFixtures.migrated();
        jdbi = fixtures.jdbi();
        fixtures.catalog("org_1", "cus_1", "c1", "ai_call", "price_calls", new BigDecimal("0.05"));
        invoices = new InvoiceFixtures(jdbi);
    }

    private String draft() {
        return invoices.draft("org_1", "cus_1", "USD", NOV, NOV.end(), List.of());
    }

    private String issued() {
        return invoices.issue(
                "org_1", "cus_1", "USD", NOV, NOV.end(), List.of(new Usage("price_calls", "ai_call", "2", "0.05", 10)));
    }

    private long scalar(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private void execute(String sql, Object... arguments) {
        jdbi.useHandle(h -> h.execute(sql, arguments));
    }

    @Test
    void shouldTakeAndGiveBackOneOffLinesOfADraftOnly() {
        String draft = draft();
        execute(ONE_OFF, "il_1", draft);
        execute("DELETE FROM billing.invoice_lines WHERE id = 'il_1'");
        execute(ONE_OFF, "il_2", draft);
        execute(
                "UPDATE billing.invoices SET total_minor = 500, number = 'ACME-TEST-1', status = 'finalized',"
                        + " finalized_at = now() WHERE id = ?",
                draft);

        assertThatThrownBy(() -> execute(ONE_OFF, "il_3", draft))
                .isInstanceOf(JdbiException.class)
                .hasMessageContaining("its lines cannot be changed");
        assertThatThrownBy(() -> execute("DELETE FROM billing.invoice_lines WHERE id = 'il_2'"))
                .hasMessageContaining("its lines cannot be changed");
        String issued = issued();
        assertThatThrownBy(() -> execute(ONE_OFF, "il_4", issued)).hasMessageContaining("its lines cannot be changed");
        long oneOffs = scalar("SELECT count(*) FROM billing.invoice_lines WHERE kind = 'one_off'");
        assertThat(oneOffs).isEqualTo(1);
    }

    @Test
    void shouldRefuseAOneOffLineThatIsNotOneOfItsOwnInputs() {
        String draft = draft();
        String columns = "INSERT INTO billing.invoice_lines (id, invoice_id, kind, price_id, quantity, unit_amount,"
                + " amount_minor, description, usage_start, usage_end) VALUES (?, ?, 'one_off', ?, ?, ?, 500, ?, ?, ?)";

        assertThatThrownBy(() -> execute(columns, "il_p", draft, "price_calls", 1, 5, "Priced", null, null))
                .hasMessageContaining("invoice_lines_priced_kinds");
        assertThatThrownBy(() -> execute(columns, "il_q", draft, null, 0, 5, "Nothing", null, null))
                .hasMessageContaining("invoice_lines_one_off_complete");
        assertThatThrownBy(() -> execute(columns, "il_n", draft, null, -1, 5, "Negative", null, null))
                .hasMessageContaining("invoice_lines_one_off_complete");
        assertThatThrownBy(() -> execute(columns, "il_d", draft, null, 1, 5, null, null, null))
                .hasMessageContaining("invoice_lines_one_off_complete");
        assertThatThrownBy(() -> execute(columns, "il_u", draft, null, 1, null, "No unit amount", null, null))
                .hasMessageContaining("invoice_lines_one_off_complete");
        assertThatThrownBy(() -> execute(columns, "il_s", draft, null, 1, 5, "Spanned", NOV.start(), NOV.end()))
                .hasMessageContaining("invoice_lines_one_off_complete");
        execute(columns, "il_ok", draft, null, 1, 5, "Setup", null, null);
    }

    @Test
    void shouldBoundTheMemoAndFooterAndFreezeThemOnceIssued() {
        String draft = draft();
        execute("UPDATE billing.invoices SET memo = 'Thanks', footer = 'Acme' WHERE id = ?", draft);

        assertThatThrownBy(() -> execute("UPDATE billing.invoices SET memo = ? WHERE id = ?", "m".repeat(2001), draft))
                .hasMessageContaining("invoices_memo_bounded");
        assertThatThrownBy(() -> execute("UPDATE billing.invoices SET footer = '' WHERE id = ?", draft))
                .hasMessageContaining("invoices_footer_bounded");
        String issued = issued();
        assertThatThrownBy(() -> execute("UPDATE billing.invoices SET memo = 'late' WHERE id = ?", issued))
                .hasMessageContaining("cannot be changed");
        assertThatThrownBy(() -> execute("UPDATE billing.invoices SET auto_finalize_at = now() WHERE id = ?", issued))
                .hasMessageContaining("cannot be changed");
    }

    @Test
    void shouldKeepTheAutoFinalizeDelayFromZeroToThirtyDays() {
        long fixtures = scalar("SELECT auto_finalize_delay_seconds FROM billing.organizations WHERE id = 'org_1'");
        assertThat(fixtures).as("the fixtures' organization finalizes at once").isZero();
        execute("INSERT INTO billing.organizations (id, name) VALUES ('org_default', 'D')");
        long byDefault =
                scalar("SELECT auto_finalize_delay_seconds FROM billing.organizations WHERE id = 'org_default'");
        assertThat(byDefault).as("one hour, as Stripe").isEqualTo(3600);
        execute("UPDATE billing.organizations SET auto_finalize_delay_seconds = 2592000 WHERE id = 'org_1'");

        assertThatThrownBy(() -> execute("UPDATE billing.organizations SET auto_finalize_delay_seconds = -1"))
                .hasMessageContaining("organizations_auto_finalize_delay_bounded");
        assertThatThrownBy(() -> execute("UPDATE billing.organizations SET auto_finalize_delay_seconds = 2592001"))
                .hasMessageContaining("organizations_auto_finalize_delay_bounded");
    }
}
