package dev.tally.billing.invoicing;

import static dev.tally.billing.invoicing.CycleHarness.CUSTOMER;
import static dev.tally.billing.invoicing.CycleHarness.ORG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.UsagePeriod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/**
 * The billing cycle's writer on the real PostgreSQL: one subscription, Pro plan (49.00 a month in advance) and
 * API calls (graduated: 1,000 at 0.02, up to 10,000 at 0.01, beyond at 0.005), from March 1, 2026 (UTC).
 *
 * <pre>
 *  Mar 1 ───────────────────────────── Apr 1 ─────────────── May 1
 *  ▲ Pro, March (49.00)                ▲ Pro, April (49.00)
 *     calls: 600 (Mar 3) + 900 (Mar 20)  ▲ calls of March: 1,500 → 20.00 + 5.00 = 25.00
 *                 Mar 20 restated to 1,100  ▲ (Apr 2) adjustment: 1,700 → 27.00, +2.00
 * </pre>
 */
class SubscriptionInvoicingIT {

    private static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant APR = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant MAY = Instant.parse("2026-05-01T00:00:00Z");

    private final CycleHarness cycle = new CycleHarness();

    @Test
    void shouldBillTheAdvanceFeeAtTheStartThenTheUsageAndTheNextFeeAfterThePeriodAndNothingTwice() {
        cycle.subscribe("sub_1", MAR, "si_pro", "price_pro", "si_calls", "price_calls");

        SubscriptionInvoicing.Billing atStart = cycle.invoicing.bill("sub_1", MAR);

        Invoice march = atStart.invoice().orElseThrow();
        assertThat(march.number()).isEqualTo("ACME-TEST-2026-000001");
        assertThat(march.status()).isEqualTo("finalized");
        assertThat(march.subscriptionId()).isEqualTo("sub_1");
        assertThat(march.totalMinor()).isEqualTo(4900);
        assertThat(cycle.lines(march)).singleElement().satisfies(fee -> {
            assertThat(fee.kind()).isEqualTo(LineKind.FLAT_FEE);
            assertThat(fee.priceId()).isEqualTo("price_pro");
            assertThat(fee.amountMinor()).isEqualTo(4900);
            assertThat(fee.unitAmount()).isEqualByComparingTo("49.00");
            assertThat(fee.usagePeriod()).isEqualTo(new UsagePeriod(MAR, APR));
            assertThat(fee.description()).isEqualTo("Pro plan × 1, Mar 1 – Mar 31, 2026");
            assertThat(fee.subscriptionLine().key())
                    .isEqualTo("flat|in_advance|si_pro|price_pro|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z");
        });
        assertThat(atStart.nextPlanAt()).contains(APR);
        assertThat(cycle.nextPlanAt("sub_1")).isEqualTo(APR);

        String early = cycle.calls(Instant.parse("2026-03-03T10:00:00Z"), "600", 6);
        String late = cycle.calls(Instant.parse("2026-03-20T10:00:00Z"), "900", 9);
        String april = cycle.calls(Instant.parse("2026-04-01T00:00:00Z"), "5", 1);
        Invoice afterMarch = cycle.invoicing.bill("sub_1", APR).invoice().orElseThrow();

        assertThat(afterMarch.number()).isEqualTo("ACME-TEST-2026-000002");
        List<InvoiceLine> lines = cycle.lines(afterMarch);
        assertThat(lines)
                .extracting(InvoiceLine::kind, InvoiceLine::usagePeriod, InvoiceLine::amountMinor)
                .containsExactly(
                        tuple(LineKind.FLAT_FEE, new UsagePeriod(APR, MAY), 4900L),
                        tuple(LineKind.USAGE, new UsagePeriod(MAR, APR), 2500L));
        InvoiceLine usage = lines.get(1);
        assertThat(usage.quantity()).isEqualByComparingTo("1500");
        assertThat(usage.eventCount()).isEqualTo(15);
        assertThat(usage.featureKey()).isEqualTo("ai_call");
        assertThat(usage.unitAmount()).isNull();
        assertThat(afterMarch.totalMinor()).isEqualTo(7400);
        assertThat(cycle.billingLineOf(early)).isEqualTo(usage.id());
        assertThat(cycle.billingLineOf(late)).isEqualTo(usage.id());
        assertThat(cycle.billingLineOf(april))
                .as("April's usage is April's span's")
                .isNull();

        SubscriptionInvoicing.Billing again = cycle.invoicing.bill("sub_1", APR);

        assertThat(again.invoice()).isEmpty();
        assertThat(cycle.invoicesOf("sub_1")).hasSize(2);
        assertThat(cycle.outboxEvents()).as("one FINALIZED event per invoice").isEqualTo(2);
    }

    @Test
    void shouldAdjustARestatedWindowByTheDifferenceWithWhatTheSubscriptionBilled() {
        cycle.subscribe("sub_1", MAR, "si_pro", "price_pro", "si_calls", "price_calls");
        cycle.calls(Instant.parse("2026-03-03T10:00:00Z"), "600", 6);
        Instant restatedWindow = Instant.parse("2026-03-20T10:00:00Z");
        cycle.calls(restatedWindow, "900", 9);
        cycle.invoicing.bill("sub_1", APR);

        String restated = cycle.fixtures
                .statement(ORG, CUSTOMER, "ai_call", restatedWindow)
                .revision(1)
                .quantity("1100")
                .events(11)
                .insert();
        Invoice adjusted =
                cycle.invoicing.bill("sub_1", APR.plusSeconds(86_400)).invoice().orElseThrow();

        InvoiceLine adjustment = cycle.lines(adjusted).getFirst();
        assertThat(cycle.lines(adjusted)).hasSize(1);
        assertThat(adjustment.kind()).isEqualTo(LineKind.ADJUSTMENT);
        assertThat(adjustment.usagePeriod()).isEqualTo(new UsagePeriod(MAR, APR));
        assertThat(adjustment.previousQuantity()).isEqualByComparingTo("1500");
        assertThat(adjustment.quantity()).as("the difference").isEqualByComparingTo("200");
        // 1,700 calls rate 20.00 + 7.00 = 27.00, 25.00 were billed
        assertThat(adjustment.amountMinor()).isEqualTo(200);
        assertThat(adjustment.subscriptionLine().key())
                .isEqualTo("adjustment|usage|si_calls|price_calls|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z|1");
        assertThat(adjusted.totalMinor()).isEqualTo(200);
        assertThat(cycle.billingLineOf(restated)).isEqualTo(adjustment.id());
        assertThat(cycle.invoicing.bill("sub_1", APR.plusSeconds(86_400)).invoice())
                .isEmpty();
    }

    @Test
    void shouldWriteOneInvoiceWhenTwoBillsOfTheSameSubscriptionRace() throws Exception {
        cycle.subscribe("sub_1", MAR, "si_pro", "price_pro");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<Optional<Invoice>>> bills = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                bills.add(threads.submit(() -> {
                    start.await();
                    return cycle.invoicing.bill("sub_1", APR).invoice();
                }));
            }
            start.countDown();
            List<Optional<Invoice>> results = new ArrayList<>();
            for (Future<Optional<Invoice>> bill : bills) {
                results.add(bill.get());
            }
            assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
        List<Invoice> invoices = cycle.invoicesOf("sub_1");
        assertThat(invoices).singleElement().extracting(Invoice::totalMinor).isEqualTo(9800L);
        assertThat(cycle.lines(invoices.getFirst()))
                .extracting(InvoiceLine::usagePeriod)
                .containsExactly(new UsagePeriod(MAR, APR), new UsagePeriod(APR, MAY));
    }

    @Test
    void shouldRefuseASecondLineOfTheSameKeyForTheSubscription() {
        cycle.subscribe("sub_1", MAR, "si_pro", "price_pro");
        Invoice march = cycle.invoicing.bill("sub_1", MAR).invoice().orElseThrow();
        InvoiceLine fee = cycle.lines(march).getFirst();

        assertThatThrownBy(() -> cycle.jdbi.useTransaction(h -> {
                    h.execute(
                            "INSERT INTO billing.invoices (id, number, organization_id, livemode, customer_id,"
                                    + " subscription_id, currency, period_start, period_end, status)"
                                    + " VALUES ('inv_copy', 'INV-copy', 'org_1', false, 'cus_1', 'sub_1', 'USD', ?, ?,"
                                    + " 'draft')",
                            MAR,
                            APR);
                    h.execute(
                            "INSERT INTO billing.invoice_lines (id, invoice_id, kind, price_id, quantity,"
                                    + " amount_minor, usage_start, usage_end, description, subscription_id, line_key,"
                                    + " item_id, event_count) VALUES ('il_copy', 'inv_copy', 'flat_fee', 'price_pro',"
                                    + " 1, 4900, ?, ?, 'copy', 'sub_1', ?, 'si_pro', 0)",
                            MAR,
                            APR,
                            fee.subscriptionLine().key());
                }))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining("invoice_lines_key_once");
    }

    @Test
    void shouldBillEachLedgerRowOnceBetweenThePeriodCloseAndTheCycle() {
        cycle.jdbi.useHandle(h -> h.execute("INSERT INTO billing.products (id, organization_id, livemode,"
                + " feature_key) VALUES ('prod_storage', 'org_1', false, 'storage')"));
        cycle.price(
                "price_storage",
                "prod_storage",
                "per_unit",
                "{\"currency\":\"USD\",\"model\":\"per_unit\",\"unitAmount\":\"0.10\",\"interval\":\"month\","
                        + "\"intervalCount\":1,\"billingTiming\":\"in_arrears\"}");
        cycle.subscribe("sub_1", MAR, "si_storage", "price_storage");
        String closed = storage(Instant.parse("2026-03-05T00:00:00Z"), "10", 0);

        // the close bills March first: the cycle leaves the window it billed, and its restatement
        Invoice byClose =
                cycle.periodClose.close(ORG, false, MAR, APR).invoices().getFirst();
        String restatedAfterClose = storage(Instant.parse("2026-03-05T00:00:00Z"), "12", 1);
        assertThat(cycle.invoicing.bill("sub_1", APR).invoice()).isEmpty();
        assertThat(cycle.billingLineOf(closed))
                .isEqualTo(cycle.lines(byClose).getFirst().id());
        assertThat(cycle.billingLineOf(restatedAfterClose)).isNull();

        // the cycle bills April first: the close leaves the window it billed, and its restatement
        String april = storage(Instant.parse("2026-04-07T00:00:00Z"), "20", 0);
        Invoice byCycle = cycle.invoicing.bill("sub_1", MAY).invoice().orElseThrow();
        String restatedAfterCycle = storage(Instant.parse("2026-04-07T00:00:00Z"), "25", 1);
        assertThat(cycle.periodClose.close(ORG, false, APR, MAY).invoices())
                .as("the close of April bills only March's restatement")
                .singleElement()
                .satisfies(invoice -> assertThat(cycle.lines(invoice))
                        .extracting(InvoiceLine::kind)
                        .containsExactly(LineKind.USAGE, LineKind.ADJUSTMENT));
        InvoiceLine aprilUsage = cycle.lines(byCycle).getFirst();
        assertThat(aprilUsage.amountMinor()).isEqualTo(200);
        assertThat(cycle.billingLineOf(april)).isEqualTo(aprilUsage.id());
        assertThat(cycle.billingLineOf(restatedAfterCycle)).isNull();

        InvoiceLine adjustment = cycle.lines(cycle.invoicing
                        .bill("sub_1", MAY.plusSeconds(60))
                        .invoice()
                        .orElseThrow())
                .getFirst();
        assertThat(adjustment.kind()).isEqualTo(LineKind.ADJUSTMENT);
        assertThat(adjustment.amountMinor()).isEqualTo(50);
        assertThat(cycle.billingLineOf(restatedAfterCycle)).isEqualTo(adjustment.id());
    }

    private String storage(Instant windowStart, String quantity, long revision) {
        return cycle.fixtures
                .statement(ORG, CUSTOMER, "storage", windowStart)
                .revision(revision)
                .quantity(quantity)
                .insert();
    }
}
