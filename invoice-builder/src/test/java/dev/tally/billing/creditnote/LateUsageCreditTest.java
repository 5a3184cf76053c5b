package dev.tally.billing.creditnote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** How much of a lowering a late-usage credit note takes: by line where a unit price is, else by amount, capped. */
class LateUsageCreditTest {

    private static final BigDecimal UNIT = new BigDecimal("0.05");

    private static LateUsageCredit.Lowering lowering(String quantity, long amount) {
        return new LateUsageCredit.Lowering(new BigDecimal(quantity), amount);
    }

    /** A line of 100 units at 0.05 (5.00), nothing credited, its invoice creditable for {@code creditable}. */
    private static LateUsageCredit.Line perUnit(long creditable) {
        return new LateUsageCredit.Line(UNIT, new BigDecimal("100"), 500, BigDecimal.ZERO, 0, creditable);
    }

    @Test
    void shouldCreditTheWholeLoweringByLineWhenTheLineHasAUnitPrice() {
        assertThat(LateUsageCredit.of(lowering("40", 200), perUnit(500)))
                .contains(new LateUsageCredit.Credit(new BigDecimal("40"), 200, true));
    }

    @Test
    void shouldCapTheAmountAtWhatTheInvoiceCanStillBeCredited() {
        LateUsageCredit.Lowering lowering = lowering("40", 200);
        LateUsageCredit.Credit credit =
                LateUsageCredit.of(lowering, perUnit(50)).orElseThrow();
        assertThat(credit).isEqualTo(new LateUsageCredit.Credit(new BigDecimal("40"), 50, true));
        // what stays for the adjustment line: the rest of the amount, no quantity
        assertThat(lowering.less(credit)).isEqualTo(lowering("0", 150));
    }

    @Test
    void shouldCapByLineAtTheLinesQuantityAndAmountNotYetCredited() {
        LateUsageCredit.Line half =
                new LateUsageCredit.Line(UNIT, new BigDecimal("100"), 500, new BigDecimal("70"), 350, 150);
        assertThat(LateUsageCredit.of(lowering("40", 200), half))
                .contains(new LateUsageCredit.Credit(new BigDecimal("30"), 150, true));
    }

    @Test
    void shouldCreditByAmountWhenTheLineHasNoUnitPrice() {
        LateUsageCredit.Line tiered =
                new LateUsageCredit.Line(null, new BigDecimal("100"), 730, BigDecimal.ZERO, 0, 730);
        assertThat(LateUsageCredit.of(lowering("40", 310), tiered))
                .contains(new LateUsageCredit.Credit(new BigDecimal("40"), 310, false));
    }

    @Test
    void shouldCreditByAmountWhenTheLineHasNoQuantityLeftOrTheQuantityDidNotGoDown() {
        LateUsageCredit.Line creditedQuantity =
                new LateUsageCredit.Line(UNIT, new BigDecimal("100"), 500, new BigDecimal("100"), 400, 100);
        assertThat(LateUsageCredit.of(lowering("10", 50), creditedQuantity))
                .contains(new LateUsageCredit.Credit(new BigDecimal("10"), 50, false));
        assertThat(LateUsageCredit.of(lowering("0", 30), perUnit(500)))
                .contains(new LateUsageCredit.Credit(BigDecimal.ZERO, 30, false));
    }

    @Test
    void shouldCreditNothingOfAnInvoiceCreditedInFull() {
        assertThat(LateUsageCredit.of(lowering("40", 200), perUnit(0))).isEmpty();
    }

    @Test
    void shouldRefuseALoweringThatLowersNothing() {
        assertThatThrownBy(() -> lowering("1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lowering("-1", 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
