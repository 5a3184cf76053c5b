package dev.tally.billing.draft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.invoice.AmountTooLargeException;
import dev.tally.billing.invoice.CustomerCredit;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.OneOffLine;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DraftEditingTest {

    private static InvoiceLine oneOff(String unitAmount) {
        return OneOffLine.of("il_" + unitAmount, "inv_1", "x", BigDecimal.ONE, new BigDecimal(unitAmount), "USD");
    }

    private static InvoiceLine credit(LineKind kind, long amount) {
        return new CustomerCredit.Credit(kind, amount).line("il_c", "inv_1", "USD");
    }

    @Test
    void shouldTotalTheLinesWithoutCreditWhenTheCustomerHasNone() {
        assertThat(DraftEditing.recompute(List.of(oneOff("12.34"), oneOff("1.00")), 0))
                .isEqualTo(new DraftEditing.Recomputed(Optional.empty(), 1334));
        assertThat(DraftEditing.recompute(List.of(), 500)).isEqualTo(new DraftEditing.Recomputed(Optional.empty(), 0));
    }

    @Test
    void shouldApplyTheBalanceLeftByOtherInvoicesNotCountingItsOwnCreditLine() {
        // the customer had 30.00; this draft already applies 20.00 of it: its balance counts that
        List<InvoiceLine> lines = List.of(oneOff("50.00"), credit(LineKind.CREDIT_APPLIED, -2000));

        DraftEditing.Recomputed recomputed = DraftEditing.recompute(lines, 1000);

        assertThat(recomputed.credit()).contains(new CustomerCredit.Credit(LineKind.CREDIT_APPLIED, -3000));
        assertThat(recomputed.totalMinor()).isEqualTo(2000);
    }

    @Test
    void shouldApplyNoMoreThanTheSubtotalAndCarryANegativeSubtotalForward() {
        assertThat(DraftEditing.recompute(List.of(oneOff("10.00")), 3000))
                .isEqualTo(new DraftEditing.Recomputed(
                        Optional.of(new CustomerCredit.Credit(LineKind.CREDIT_APPLIED, -1000)), 0));
        assertThat(DraftEditing.recompute(List.of(oneOff("-30.00"), credit(LineKind.CREDIT_APPLIED, -500)), 0))
                .isEqualTo(new DraftEditing.Recomputed(
                        Optional.of(new CustomerCredit.Credit(LineKind.CREDIT_CARRIED_FORWARD, 3000)), 0));
    }

    @Test
    void shouldRefuseATotalBeyondALong() {
        InvoiceLine huge = new InvoiceLine(
                "il_h",
                "inv_1",
                LineKind.ONE_OFF,
                null,
                null,
                BigDecimal.ONE,
                BigDecimal.ONE,
                Long.MAX_VALUE,
                null,
                null);
        assertThatThrownBy(() -> DraftEditing.recompute(List.of(huge, huge), 0))
                .isInstanceOf(AmountTooLargeException.class);
    }
}
