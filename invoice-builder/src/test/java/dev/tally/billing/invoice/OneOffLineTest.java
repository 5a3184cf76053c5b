package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class OneOffLineTest {

    private static long amount(String quantity, String unitAmount, String currency) {
        return OneOffLine.amountMinor(new BigDecimal(quantity), new BigDecimal(unitAmount), currency);
    }

    @Test
    void shouldMultiplyExactlyAndRoundOnceHalfEvenToTheCurrency() {
        assertThat(amount("2", "10.005", "USD")).isEqualTo(2001);
        assertThat(amount("1", "0.125", "USD")).as("half to even: 0.12").isEqualTo(12);
        assertThat(amount("3", "0.125", "USD")).as("0.375 to even: 0.38").isEqualTo(38);
        assertThat(amount("0.333333333", "3", "USD")).isEqualTo(100);
        assertThat(amount("1", "-30.00", "USD")).isEqualTo(-3000);
        assertThat(amount("7", "1.4", "JPY")).as("no minor digits").isEqualTo(10);
    }

    @Test
    void shouldRefuseAnAmountBeyondTheMinorUnits() {
        assertThatThrownBy(() -> amount("100000000000000", "999999999999", "USD"))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void shouldBeALineWithoutPriceOrSpan() {
        InvoiceLine line = OneOffLine.of("il_1", "inv_1", "Setup", BigDecimal.ONE, new BigDecimal("99"), "EUR");
        assertThat(line.kind()).isEqualTo(LineKind.ONE_OFF);
        assertThat(line.priceId()).isNull();
        assertThat(line.usagePeriod()).isNull();
        assertThat(line.amountMinor()).isEqualTo(9900);
        assertThat(line.description()).isEqualTo("Setup");
        assertThat(LineKind.ONE_OFF.billsASpan()).isFalse();
        assertThat(LineKind.ONE_OFF.isCredit()).isFalse();
    }
}
