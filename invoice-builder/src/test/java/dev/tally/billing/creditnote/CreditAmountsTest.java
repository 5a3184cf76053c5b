package dev.tally.billing.creditnote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingException;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreditAmountsTest {

    /** 3 units at 0.333 (1.00 after rounding), tiered usage of 7 units for 10.00 (no unit price), a credit line. */
    private static final InvoiceLine PER_UNIT = line("l1", "3", "0.333", 100);

    private static final InvoiceLine TIERED = line("l2", "7", null, 1000);
    private static final InvoiceLine CREDIT = new InvoiceLine(
            "l3", "inv_1", LineKind.CREDIT_APPLIED, null, null, BigDecimal.ONE, new BigDecimal("-2"), -200, null, null);
    private static final Map<String, InvoiceLine> LINES = Map.of("l1", PER_UNIT, "l2", TIERED, "l3", CREDIT);

    private static InvoiceLine line(String id, String quantity, String unit, long amount) {
        return new InvoiceLine(
                id,
                "inv_1",
                LineKind.USAGE,
                "price_1",
                "f",
                new BigDecimal(quantity),
                unit == null ? null : new BigDecimal(unit),
                amount,
                null,
                null);
    }

    private static CreditAmounts.Asked ask(int index, String line, String quantity) {
        return new CreditAmounts.Asked(index, line, new BigDecimal(quantity));
    }

    private static String fieldOf(Runnable call) {
        try {
            call.run();
        } catch (BillingException e) {
            return e.field().orElse(null);
        }
        throw new AssertionError("no BillingException");
    }

    @Test
    void shouldCreditAQuantityAtTheUnitPriceElseTheAveragePriceRoundedHalfEven() {
        List<CreditAmounts.Credited> credited =
                CreditAmounts.byLines(List.of(ask(0, "l1", "1"), ask(1, "l2", "1")), LINES, Map.of(), 1000, "USD");

        // 0.333 → 33¢; 10.00 / 7 = 142.857…¢ → 143¢
        assertThat(credited)
                .containsExactly(
                        new CreditAmounts.Credited("l1", BigDecimal.ONE, 33),
                        new CreditAmounts.Credited("l2", BigDecimal.ONE, 143));
    }

    @Test
    void shouldCreditAllTheAmountLeftWithAllTheQuantityLeft() {
        Map<String, CreditNoteDao.LineCredited> before =
                Map.of("l1", new CreditNoteDao.LineCredited("l1", new BigDecimal("2"), 66));

        assertThat(CreditAmounts.byLines(List.of(ask(0, "l1", "1")), LINES, before, 1000, "USD"))
                .containsExactly(new CreditAmounts.Credited("l1", BigDecimal.ONE, 34));
        assertThat(fieldOf(() -> CreditAmounts.byLines(List.of(ask(0, "l1", "1.5")), LINES, before, 1000, "USD")))
                .isEqualTo("lines[0].quantity");
    }

    @Test
    void shouldNameTheMemberOfEveryRefusedLine() {
        assertThat(fieldOf(() -> CreditAmounts.byLines(
                        List.of(ask(0, "l1", "1"), ask(1, "nope", "1")), LINES, Map.of(), 1000, "USD")))
                .isEqualTo("lines[1].line");
        assertThat(fieldOf(() -> CreditAmounts.byLines(
                        List.of(ask(0, "l1", "1"), ask(1, "l1", "1")), LINES, Map.of(), 1000, "USD")))
                .isEqualTo("lines[1].line");
        assertThat(fieldOf(() -> CreditAmounts.byLines(List.of(ask(0, "l3", "1")), LINES, Map.of(), 1000, "USD")))
                .isEqualTo("lines[0].line");
        assertThat(fieldOf(() -> CreditAmounts.byLines(List.of(ask(0, "l1", "0")), LINES, Map.of(), 1000, "USD")))
                .isEqualTo("lines[0].quantity");
        assertThat(fieldOf(() -> CreditAmounts.byLines(List.of(ask(0, "l1", "4")), LINES, Map.of(), 1000, "USD")))
                .isEqualTo("lines[0].quantity");
        // the lines fit, the invoice has only 1.20 left to credit (other credit notes, or a credit line)
        assertThat(fieldOf(() -> CreditAmounts.byLines(
                        List.of(ask(0, "l1", "3"), ask(1, "l2", "1")), LINES, Map.of(), 120, "USD")))
                .isEqualTo("lines[1].quantity");
        assertThat(fieldOf(() -> CreditAmounts.byLines(List.of(), LINES, Map.of(), 1000, "USD")))
                .isEqualTo("lines");
    }

    @Test
    void shouldCreditAnAmountAboveZeroUpToWhatIsLeft() {
        assertThat(CreditAmounts.byAmount(500, 500, "USD")).isEqualTo(500);
        assertThatThrownBy(() -> CreditAmounts.byAmount(501, 500, "USD")).isInstanceOf(BillingException.class);
        assertThat(fieldOf(() -> CreditAmounts.byAmount(0, 500, "USD"))).isEqualTo("amount");
    }

    @Test
    void shouldTakeACreditOffWhatIsDueFirstAndTheRestOfWhatWasPaid() {
        assertThat(CreditAmounts.split(300, 234)).isEqualTo(new CreditAmounts.Split(234, 66));
        assertThat(CreditAmounts.split(100, 234)).isEqualTo(new CreditAmounts.Split(100, 0));
        assertThat(CreditAmounts.split(100, 0)).isEqualTo(new CreditAmounts.Split(0, 100));
    }
}
