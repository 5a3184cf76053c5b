package dev.tally.billing.invoicing;

import static dev.tally.billing.invoicing.CycleHarness.CUSTOMER;
import static dev.tally.billing.invoicing.CycleHarness.ORG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A restatement recorded in the ledger makes the subscriptions that ran during its window due again, so
 * the cycle bills the difference even after the subscription's last period, when nothing else would make
 * it look again.
 *
 * <pre>
 *  Mar 1 ──────────────────────────── Apr 1 (cancelled at period end: nothing due after it)
 *  ▲ Pro (49.00)   calls: 900 (Mar 20) ▲ calls of March: 900 → 18.00
 *                                        then Mar 20 restated to 1,100 → due again → 21.00, adjustment +3.00
 * </pre>
 */
class RestatementReplanIT {

    private static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant APR = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant WINDOW = Instant.parse("2026-03-20T10:00:00Z");

    private final CycleHarness cycle = new CycleHarness();

    @Test
    void shouldBillARestatementOfAnEndedSubscriptionAsAnAdjustment() {
        cycle.subscribe("sub_1", MAR, "si_pro", "price_pro", "si_calls", "price_calls");
        cancelAt("sub_1", APR);
        cycle.calls(WINDOW, "900", 9);
        cycle.invoicing.bill("sub_1", MAR);
        cycle.invoicing.bill("sub_1", APR);
        assertThat(cycle.nextPlanAt("sub_1")).as("ended: nothing more is due").isNull();

        cycle.fixtures
                .statement(ORG, CUSTOMER, "ai_call", WINDOW)
                .revision(1)
                .quantity("1100")
                .events(11)
                .insert();

        assertThat(cycle.nextPlanAt("sub_1"))
                .as("due by the restated window's end")
                .isEqualTo(WINDOW.plusSeconds(3600));
        Invoice adjusted =
                cycle.invoicing.bill("sub_1", APR.plusSeconds(86_400)).invoice().orElseThrow();
        assertThat(cycle.lines(adjusted)).singleElement().satisfies(line -> {
            assertThat(line.kind()).isEqualTo(LineKind.ADJUSTMENT);
            // 900 calls cost 18.00 (all in the 0.02 tier); 1,100 cost 20.00 + 1.00
            assertThat(line.amountMinor()).isEqualTo(300);
        });
        assertThat(cycle.nextPlanAt("sub_1")).isNull();
    }

    @Test
    void shouldNotWakeASubscriptionThatDidNotRunDuringTheRestatedWindow() {
        cycle.subscribe("sub_1", MAR, "si_pro", "price_pro", "si_calls", "price_calls");
        cancelAt("sub_1", APR);
        cycle.invoicing.bill("sub_1", MAR);
        cycle.invoicing.bill("sub_1", APR);

        Instant february = Instant.parse("2026-02-10T10:00:00Z");
        cycle.calls(february, "100", 1);
        cycle.fixtures
                .statement(ORG, CUSTOMER, "ai_call", february)
                .revision(1)
                .quantity("200")
                .events(2)
                .insert();
        cycle.calls(APR.plusSeconds(7200), "100", 1);
        cycle.fixtures
                .statement(ORG, CUSTOMER, "ai_call", APR.plusSeconds(7200))
                .revision(1)
                .quantity("200")
                .events(2)
                .insert();

        assertThat(cycle.nextPlanAt("sub_1"))
                .as("before its start, after its end")
                .isNull();
        assertThat(cycle.invoicesOf("sub_1"))
                .flatExtracting(invoice ->
                        cycle.lines(invoice).stream().map(InvoiceLine::kind).toList())
                .doesNotContain(LineKind.ADJUSTMENT);
    }

    private void cancelAt(String subscriptionId, Instant end) {
        cycle.jdbi.useHandle(h -> h.execute(
                "UPDATE billing.subscriptions SET cancel_at = ?, canceled_at = ?, cancel_at_period_end = true"
                        + " WHERE id = ?",
                end,
                MAR.plusSeconds(86_400),
                subscriptionId));
    }
}
