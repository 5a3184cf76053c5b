package dev.tally.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.rules.DecimalText.Bounds;
import dev.tally.schemas.rules.DecimalText.DecimalTextException;
import dev.tally.schemas.rules.DecimalText.Problem;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecimalTextTest {

    private static final Bounds QUANTITY = new Bounds(15, 9, false);

    @ParameterizedTest
    @CsvSource({
        "3, 3",
        "0.25, 0.25",
        ".5, 0.5",
        "1., 1",
        "+7, 7",
        "2e3, 2000",
        "25E-1, 2.5",
        "1.500000000000, 1.5",
        "0.000000001, 0.000000001",
        "999999999999999.999999999, 999999999999999.999999999",
        "0e1000000000, 0",
        "-0, 0",
        "0.000000000000000000000000000000000000000000e-5, 0",
        "00000000000000000000000000012, 12"
    })
    void shouldReadTextInsideTheBoundsExactly(String text, String expected) {
        assertThat(DecimalText.parse("quantity", text, QUANTITY)).isEqualByComparingTo(new BigDecimal(expected));
    }

    @ParameterizedTest
    @CsvSource({
        "'', MALFORMED",
        "abc, MALFORMED",
        "1e, MALFORMED",
        "., MALFORMED",
        "-, MALFORMED",
        "'1 ', MALFORMED",
        "' 1', MALFORMED",
        "NaN, MALFORMED",
        "Infinity, MALFORMED",
        "0x10, MALFORMED",
        "1_000, MALFORMED",
        "١٢, MALFORMED",
        "１２, MALFORMED",
        "-1, NEGATIVE",
        "1000000000000000, TOO_LARGE",
        "1e15, TOO_LARGE",
        "1e1000000, TOO_LARGE",
        "1e2147483647, TOO_LARGE",
        "1e99999999999999999999, TOO_LARGE",
        "99999999999999999999, TOO_LARGE",
        "0.0000000001, TOO_MANY_DECIMALS",
        "0.0000000000000000000000000000000000000000001e-5, TOO_MANY_DECIMALS",
        "1e-10, TOO_MANY_DECIMALS",
        "1e-2147483648, TOO_MANY_DECIMALS",
        "1e-1000000, TOO_MANY_DECIMALS"
    })
    void shouldRefuseTextOutsideTheShapeOrBoundsNamingWhy(String text, Problem problem) {
        assertThatThrownBy(() -> DecimalText.parse("quantity", text, QUANTITY))
                .isInstanceOfSatisfying(
                        DecimalTextException.class, e -> assertThat(e.problem()).isEqualTo(problem))
                .hasMessageStartingWith("quantity");
    }

    @Test
    void shouldRefuseTooLongTextBeforeReadingIt() {
        String longText = "1".repeat(DecimalText.MAX_TEXT_LENGTH + 1);
        assertThatThrownBy(() -> DecimalText.parse("amount", longText, QUANTITY))
                .isInstanceOfSatisfying(
                        DecimalTextException.class, e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED));
    }

    @Test
    void shouldAllowNegativesWhenTheBoundsDo() {
        assertThat(DecimalText.parse("delta", "-2.5", new Bounds(3, 2, true))).isEqualByComparingTo("-2.5");
    }

    @Test
    void shouldRefuseHugeExponentsWithoutSpendingCpu() {
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            assertThatThrownBy(() -> DecimalText.parse("unitAmount", "1e1000000", QUANTITY))
                    .isInstanceOf(DecimalTextException.class);
        }
        // a generous bound: today's BigDecimal path takes ~100 s for one such value
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
