package dev.tally.billing.lineage;

import static dev.tally.billing.lineage.LineageHarness.ORG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.BillingException;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.web.PageRequest;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lineage and verification of the billing cycle's invoices: one subscription of customer acme with a flat fee
 * (Pro, 49.00 a month in advance), graduated API calls (the first 1,000 at 0.02, then 0.01) and a per-unit
 * peak (MAX, 2.00 a unit).
 *
 * <pre>
 *  Mar 1 ─────────────────────────────────────────── Apr 1 ──────── Apr 2
 *  ▲ inv1: Pro (March)                               ▲ inv2: calls, peak, Pro (April)
 *  calls W1 (Mar 10) r0=500 r1=600, W2 (Mar 20) 300 → 900 = 18.00
 *  peak  P1 (Mar 5) 7 → 14.00
 *                                                       W1 r2=1,100 ▲ inv3: adjustment 1,400 = 24.00, +6.00
 * </pre>
 */
class CycleLineageIT {

    private static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant APR = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant W1 = Instant.parse("2026-03-10T10:00:00Z");
    private static final Instant W2 = Instant.parse("2026-03-20T10:00:00Z");
    private static final Instant P1 = Instant.parse("2026-03-05T10:00:00Z");

    private final LineageHarness harness = new LineageHarness();
    private Invoice march;
    private Invoice april;

    @BeforeEach
    void billMarch() {
        harness.jdbi.useHandle(h -> {
            // delay 0: the cycle's invoices are finalized as they are written, as the lineage of issued invoices needs
            h.execute(
                    "INSERT INTO billing.organizations (id, name, auto_finalize_delay_seconds) VALUES ('org_1', 'Acme', 0)");
            h.execute("INSERT INTO billing.customers (id, organization_id, livemode, external_id)"
                    + " VALUES ('cus_1', 'org_1', false, 'acme')");
            h.execute("INSERT INTO billing.products (id, organization_id, livemode, type, name)"
                    + " VALUES ('prod_plan', 'org_1', false, 'recurring', 'Pro plan')");
            h.execute("INSERT INTO billing.products (id, organization_id, livemode, feature_key, name) VALUES"
                    + " ('prod_calls', 'org_1', false, 'ai_call', 'API calls'),"
                    + " ('prod_peak', 'org_1', false, 'peak', 'Peak')");
        });
        harness.price(
                "price_pro",
                "prod_plan",
                "flat",
                "{\"currency\":\"USD\",\"model\":\"flat\",\"flatAmount\":\"49.00\","
                        + "\"interval\":\"month\",\"intervalCount\":1,\"billingTiming\":\"in_advance\"}");
        harness.price(
                "price_calls",
                "prod_calls",
                "graduated",
                "{\"currency\":\"USD\",\"model\":\"graduated\",\"tiers\":["
                        + "{\"upTo\":\"1000\",\"unitAmount\":\"0.02\",\"flatAmount\":null},"
                        + "{\"upTo\":null,\"unitAmount\":\"0.01\",\"flatAmount\":null}],"
                        + "\"interval\":\"month\",\"intervalCount\":1,\"billingTiming\":\"in_arrears\"}");
        harness.price(
                "price_peak",
                "prod_peak",
                "per_unit",
                "{\"currency\":\"USD\",\"model\":\"per_unit\",\"unitAmount\":\"2\","
                        + "\"interval\":\"month\",\"intervalCount\":1,\"billingTiming\":\"in_arrears\"}");
        harness.jdbi.useTransaction(h -> {
            h.execute(
                    "INSERT INTO billing.subscriptions (id, organization_id, livemode, customer_id, currency,"
                            + " interval, interval_count, start_at, time_zone, next_plan_at)"
                            + " VALUES ('sub_1', 'org_1', false, 'cus_1', 'USD', 'month', 1, ?, 'UTC', ?)",
                    MAR,
                    MAR);
            h.execute(
                    "INSERT INTO billing.subscription_item_changes (subscription_id, item_id, at, price_id, quantity)"
                            + " VALUES ('sub_1', 'si_pro', ?, 'price_pro', 1), ('sub_1', 'si_calls', ?, 'price_calls', 1),"
                            + " ('sub_1', 'si_peak', ?, 'price_peak', 1)",
                    MAR,
                    MAR,
                    MAR);
        });
        march = bill(MAR);
    }

    private Invoice bill(Instant asOf) {
        harness.clock.set(asOf);
        return harness.invoicing.bill("sub_1", asOf).invoice().orElseThrow();
    }

    private String calls(Instant window, long revision, String quantity, long events) {
        return harness.fixtures
                .statement(ORG, "acme", "ai_call", window)
                .revision(revision)
                .quantity(quantity)
                .events(events)
                .insert();
    }

    private void billApril() {
        calls(W1, 0, "500", 5);
        calls(W1, 1, "600", 6);
        calls(W2, 0, "300", 3);
        harness.fixtures
                .statement(ORG, "acme", "peak", P1)
                .aggregation("max")
                .quantity("7")
                .events(4)
                .insert();
        april = bill(APR);
    }

    private InvoiceLine callsLine(Invoice invoice, LineKind kind) {
        return harness.lines(invoice).stream()
                .filter(line -> line.kind() == kind && "ai_call".equals(line.featureKey()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void shouldNameTheWindowsAndRevisionsAUsageLineBilled() {
        billApril();
        InvoiceLine calls = callsLine(april, LineKind.USAGE);

        InvoiceLineage.LineUsage usage =
                harness.lineage.usage(ORG, false, april.id(), calls.id(), PageRequest.of(null, null));

        assertThat(calls.amountMinor()).isEqualTo(1800);
        assertThat(usage.hasMore()).isFalse();
        assertThat(usage.windows())
                .extracting(w -> w.windowStart(), w -> w.before(), w -> w.now().revision(), w -> w.now()
                        .eventCount())
                .containsExactly(tuple(W1, null, 1L, 6L), tuple(W2, null, 0L, 3L));
        // both revisions of W1 were billed by the line, which counts the window once, at revision 1
        assertThat(usage.windows().getFirst().billed())
                .extracting(WindowLineage.Statement::revision, s -> s.quantity().toPlainString(), s -> s.counted())
                .containsExactly(tuple(0L, "500.000000000", false), tuple(1L, "600.000000000", true));
    }

    @Test
    void shouldPageTheWindowsOfALineByWindowStart() {
        billApril();
        InvoiceLine calls = callsLine(april, LineKind.USAGE);

        InvoiceLineage.LineUsage first =
                harness.lineage.usage(ORG, false, april.id(), calls.id(), PageRequest.of("1", null));
        InvoiceLineage.LineUsage second = harness.lineage.usage(
                ORG,
                false,
                april.id(),
                calls.id(),
                PageRequest.of("1", first.windows().getFirst().windowKey()));

        assertThat(first.hasMore()).isTrue();
        assertThat(first.windows()).extracting(WindowLineage::windowStart).containsExactly(W1);
        assertThat(second.hasMore()).isFalse();
        assertThat(second.windows()).extracting(WindowLineage::windowStart).containsExactly(W2);
        assertThatThrownBy(() ->
                        harness.lineage.usage(ORG, false, april.id(), calls.id(), PageRequest.of("1", "not-a-window")))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.field()).hasValue("startingAfter"));
    }

    @Test
    void shouldNameTheRestatementAnAdjustmentBilled() {
        billApril();
        String restated = calls(W1, 2, "1100", 11);
        Invoice adjusted = bill(APR.plusSeconds(86_400));
        InvoiceLine adjustment = callsLine(adjusted, LineKind.ADJUSTMENT);

        InvoiceLineage.LineUsage usage =
                harness.lineage.usage(ORG, false, adjusted.id(), adjustment.id(), PageRequest.of(null, null));

        // 1,400 calls: 1,000 × 0.02 + 400 × 0.01 = 24.00, of which 18.00 were billed
        assertThat(adjustment.amountMinor()).isEqualTo(600);
        assertThat(usage.windows()).singleElement().satisfies(window -> {
            assertThat(window.windowStart()).isEqualTo(W1);
            assertThat(window.before().revision()).isEqualTo(1);
            assertThat(window.before().quantity()).isEqualByComparingTo("600");
            assertThat(window.now().revision()).isEqualTo(2);
            assertThat(window.now().quantity()).isEqualByComparingTo("1100");
            assertThat(window.now().eventCount()).isEqualTo(11);
            assertThat(window.changed()).isTrue();
            assertThat(window.billed())
                    .extracting(WindowLineage.Statement::aggregateId)
                    .containsExactly(restated);
        });
    }

    @Test
    void shouldAnswerAFlatFeeLineWithNoWindows() {
        InvoiceLine fee = harness.line(march, LineKind.FLAT_FEE);

        InvoiceLineage.LineUsage usage =
                harness.lineage.usage(ORG, false, march.id(), fee.id(), PageRequest.of(null, null));

        assertThat(usage.line().kind()).isEqualTo(LineKind.FLAT_FEE);
        assertThat(usage.windows()).isEmpty();
        assertThat(usage.hasMore()).isFalse();
    }

    @Test
    void shouldNotFindALineOfAnotherInvoiceOrOrganization() {
        billApril();
        InvoiceLine fee = harness.line(march, LineKind.FLAT_FEE);

        assertThatThrownBy(() -> harness.lineage.usage(ORG, false, april.id(), fee.id(), PageRequest.of(null, null)))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(
                        () -> harness.lineage.usage("org_2", false, march.id(), fee.id(), PageRequest.of(null, null)))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> harness.verifier.verify("org_2", false, march.id()))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void shouldVerifyEveryInvoiceOfTheCycleAlsoAfterALaterRestatement() {
        billApril();
        calls(W1, 2, "1100", 11);
        Invoice adjusted = bill(APR.plusSeconds(86_400));

        // the restatement is billed by the third invoice: the second still recomputes from the rows it billed
        assertThat(harness.verify(march).differences()).isEmpty();
        assertThat(harness.verify(april).differences()).isEmpty();
        assertThat(harness.verify(adjusted).differences()).isEmpty();
        assertThat(harness.verify(april).verified()).isTrue();
    }

    @Test
    void shouldReportATamperedLineAgainstWhatItsInputsRecompute() {
        billApril();
        InvoiceLine calls = callsLine(april, LineKind.USAGE);
        // The database refuses any change to a finalized invoice's lines: the test lifts that guard inside one
        // transaction of its own (the trigger is disabled and enabled again before it commits), as only a
        // person with the schema owner's rights could, to make the stored line disagree with the ledger.
        harness.jdbi.useTransaction(h -> {
            h.execute("ALTER TABLE billing.invoice_lines DISABLE TRIGGER invoice_lines_changed_in_drafts_only");
            h.execute("UPDATE billing.invoice_lines SET quantity = 950, amount_minor = 1900 WHERE id = ?", calls.id());
            h.execute("ALTER TABLE billing.invoice_lines ENABLE TRIGGER invoice_lines_changed_in_drafts_only");
        });

        Verification verification = harness.verify(april);

        assertThat(verification.verified()).isFalse();
        assertThat(verification.differences()).singleElement().satisfies(difference -> {
            assertThat(difference.stored().lineId()).isEqualTo(calls.id());
            assertThat(difference.stored().quantity()).isEqualByComparingTo("950");
            assertThat(difference.stored().amountMinor()).isEqualTo(1900);
            assertThat(difference.expected().quantity()).isEqualByComparingTo("900");
            assertThat(difference.expected().amountMinor()).isEqualTo(1800);
            assertThat(difference.expected().eventCount()).isEqualTo(9);
        });
        assertThat(harness.verify(march).verified()).as("the other invoice").isTrue();
    }

    @Test
    void shouldReportATamperedTotal() {
        harness.jdbi.useTransaction(h -> {
            h.execute("ALTER TABLE billing.invoices DISABLE TRIGGER invoices_immutable_once_finalized");
            h.execute("UPDATE billing.invoices SET total_minor = 5000 WHERE id = ?", march.id());
            h.execute("ALTER TABLE billing.invoices ENABLE TRIGGER invoices_immutable_once_finalized");
        });

        assertThat(harness.verify(march).differences())
                .singleElement()
                .satisfies(difference -> assertThat(difference.total()).isEqualTo(new Verification.Total(4900, 5000)));
    }
}
