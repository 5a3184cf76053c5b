package dev.tally.billing.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProrationFractionTest {

    private static final BillingPeriod JANUARY =
            new BillingPeriod(0, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"));

    @Test
    void shouldKeepTheSecondsBilledOverTheSecondsOfThePeriodUnreduced() {
        TimeSpan secondHalf = new TimeSpan(Instant.parse("2026-01-16T12:00:00Z"), JANUARY.end());

        ProrationFraction fraction = ProrationFraction.of(secondHalf, JANUARY);

        assertThat(fraction.numerator()).isEqualTo(1_339_200);
        assertThat(fraction.denominator()).isEqualTo(2_678_400);
        assertThat(fraction.isWhole()).isFalse();
    }

    @ParameterizedTest(name = "{0} × {1}/{2} rounded to {3} decimals = {4}")
    @CsvSource({
        // amount, numerator, denominator, scale, rounded
        "30.00,    1339199,   2678400,     2,     15.00", // 14.99998879…: rounded once, not per factor
        "30.00,    1339199,   2678400,     9,     14.999988799",
        "10.00,    1,         3,           2,     3.33",
        "10.00,    2,         3,           2,     6.67",
        "0.05,     1,         2,           2,     0.02", // 0.025: half to even
        "0.07,     1,         2,           2,     0.04", // 0.035: half to even
        "1000,     1,         3,           0,     333", // JPY
    })
    void shouldApplyExactlyAndRoundOnlyWhenAsked(
            BigDecimal amount, long numerator, long denominator, int scale, BigDecimal rounded) {
        ExactAmount exact = new ProrationFraction(numerator, denominator).applyTo(amount);

        assertThat(exact.numerator()).isEqualByComparingTo(amount.multiply(BigDecimal.valueOf(numerator)));
        assertThat(exact.denominator()).isEqualTo(denominator);
        assertThat(exact.round(scale, RoundingMode.HALF_EVEN)).isEqualTo(rounded);
    }

    @Test
    void shouldGiveTheDecimalOnlyWhenItsExpansionEnds() {
        assertThat(new ProrationFraction(1_339_200, 2_678_400)
                        .applyTo(new BigDecimal("49.00"))
                        .exactDecimal())
                .hasValueSatisfying(half -> assertThat(half).isEqualByComparingTo("24.5"));
        assertThat(new ProrationFraction(1, 3).applyTo(BigDecimal.TEN).exactDecimal())
                .isEmpty();
    }

    @Test
    void shouldAddAndCompareExactAmountsWithoutRounding() {
        ExactAmount third = new ProrationFraction(1, 3).applyTo(BigDecimal.ONE);
        ExactAmount twoSixths = new ProrationFraction(2, 6).applyTo(BigDecimal.ONE);

        assertThat(third.isEqualTo(twoSixths)).isTrue();
        assertThat(third.plus(twoSixths).plus(third).exactDecimal())
                .hasValueSatisfying(one -> assertThat(one).isEqualByComparingTo("1"));
        assertThat(third.negate().plus(twoSixths).exactDecimal())
                .hasValueSatisfying(zero -> assertThat(zero).isEqualByComparingTo("0"));
    }

    @ParameterizedTest(name = "{0}/{1} is refused")
    @CsvSource({"1, 0", "-1, 10", "11, 10", "0, -5"})
    void shouldRefuseAFractionThatIsNotAShareOfAPeriod(long numerator, long denominator) {
        assertThatThrownBy(() -> new ProrationFraction(numerator, denominator))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseASpanOutsideThePeriod() {
        TimeSpan intoFebruary =
                new TimeSpan(Instant.parse("2026-01-20T00:00:00Z"), Instant.parse("2026-02-02T00:00:00Z"));

        assertThatThrownBy(() -> ProrationFraction.of(intoFebruary, JANUARY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
