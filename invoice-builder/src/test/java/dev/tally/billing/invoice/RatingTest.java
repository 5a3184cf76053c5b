package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RatingTest {

    @ParameterizedTest(name = "{0} × {1} {2} = {3} minor units")
    @CsvSource({
        // quantity,         unit amount,  currency, expected minor
        "0,                   0.05,         USD,      0",
        "3,                   0.05,         USD,      15",
        "1000000,             0.000001,     USD,      100",
        "0.125,               1,            USD,      12", // 12.5 cents: half to even -> 12
        "0.135,               1,            USD,      14", // 13.5 cents: half to even -> 14
        "0.145000001,         1,            USD,      15", // just above half rounds up
        "2.5,                 0.01,         USD,      2", // 2.5 cents -> 2
        "7,                   0.333333333,  USD,      233", // 2.333333331 -> 233
        "1.5,                 100,          JPY,      150", // no minor unit
        "1.0005,              1,            BHD,      1000", // three decimals: 1000.5 fils -> 1000
        "123456789.123456789, 0.000000001,  USD,      12", // 0.123456789 -> 12
    })
    void shouldRoundEachLineHalfEvenToTheMinorUnit(
            String quantity, String unitAmount, String currency, long expectedMinor) {
        assertThat(Rating.amountMinor(new BigDecimal(quantity), new BigDecimal(unitAmount), currency))
                .isEqualTo(expectedMinor);
    }

    private static final UsagePeriod NOV =
            new UsagePeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final UsagePeriod DEC =
            new UsagePeriod(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
    private static final Rating.SubscribedPrice CALLS =
            new Rating.SubscribedPrice("price_calls", "ai_call", "USD", new BigDecimal("0.05"));
    private static final Rating.SubscribedPrice STORAGE =
            new Rating.SubscribedPrice("price_gb", "storage_gb", "USD", new BigDecimal("0.125"));

    private static List<Rating.RatedLine> rate(
            Map<String, BigDecimal> usage, List<Rating.Adjustment> adjustments, long credit) {
        return Rating.rate("USD", DEC, usage, adjustments, List.of(CALLS, STORAGE), credit);
    }

    @Test
    void shouldRateOneLinePerSubscribedPriceWithTheQuantityOfItsFeature() {
        Map<String, BigDecimal> usage = Map.of(
                "ai_call", new BigDecimal("301.000000000"),
                "unsubscribed", new BigDecimal("99"));

        List<Rating.RatedLine> lines = rate(usage, List.of(), 0);

        assertThat(lines)
                .extracting(Rating.RatedLine::kind, Rating.RatedLine::priceId, Rating.RatedLine::amountMinor)
                .containsExactly(
                        Tuple.tuple(LineKind.USAGE, "price_calls", 1505L), Tuple.tuple(LineKind.USAGE, "price_gb", 0L));
        assertThat(lines.get(1).quantity()).isEqualByComparingTo("0");
        assertThat(lines).allSatisfy(l -> assertThat(l.usagePeriod()).isEqualTo(DEC));
        assertThat(Rating.total(lines)).isEqualTo(1505L);
    }

    @Test
    void shouldTotalTheRoundedLinesNotTheUnroundedProducts() {
        // each line 0.5 cents -> 0 (half even); the unrounded sum would be 1 cent
        var a = new Rating.SubscribedPrice("price_a", "a", "USD", new BigDecimal("0.005"));
        var b = new Rating.SubscribedPrice("price_b", "b", "USD", new BigDecimal("0.005"));

        List<Rating.RatedLine> lines =
                Rating.rate("USD", DEC, Map.of("a", BigDecimal.ONE, "b", BigDecimal.ONE), List.of(), List.of(a, b), 0);

        assertThat(Rating.total(lines))
                .isEqualTo(lines.get(0).amountMinor() + lines.get(1).amountMinor())
                .isZero();
    }

    @Test
    void shouldRateARestatementOfAnEarlierPeriodAsTheDifferenceOnItsOwnLine() {
        var restated = new Rating.Adjustment("ai_call", NOV, new BigDecimal("10.5"), new BigDecimal("13"));

        List<Rating.RatedLine> lines = rate(Map.of("ai_call", new BigDecimal("4")), List.of(restated), 0);

        assertThat(lines)
                .extracting(
                        Rating.RatedLine::kind,
                        Rating.RatedLine::usagePeriod,
                        l -> l.quantity().stripTrailingZeros().toPlainString(),
                        Rating.RatedLine::amountMinor)
                .containsExactly(
                        Tuple.tuple(LineKind.USAGE, DEC, "4", 20L),
                        Tuple.tuple(LineKind.USAGE, DEC, "0", 0L),
                        Tuple.tuple(LineKind.ADJUSTMENT, NOV, "2.5", 12L)); // 12.5¢ → 12
        assertThat(lines.get(2).previousQuantity()).isEqualByComparingTo("10.5");
    }

    @Test
    void shouldIgnoreAnAdjustmentOfAFeatureWithoutAPriceInThisCurrency() {
        var other = new Rating.Adjustment("elsewhere", NOV, BigDecimal.ONE, BigDecimal.TEN);

        assertThat(rate(Map.of(), List.of(other), 0)).noneMatch(l -> l.kind() == LineKind.ADJUSTMENT);
    }

    @Test
    void shouldCarryANegativeSubtotalForwardSoTheTotalIsZero() {
        var retracted = new Rating.Adjustment("ai_call", NOV, new BigDecimal("100"), BigDecimal.ZERO);

        List<Rating.RatedLine> lines = rate(Map.of("ai_call", BigDecimal.TEN), List.of(retracted), 0);

        assertThat(lines.getLast().kind()).isEqualTo(LineKind.CREDIT_CARRIED_FORWARD);
        assertThat(lines.getLast().amountMinor()).isEqualTo(450);
        assertThat(lines.getLast().unitAmount()).isEqualByComparingTo("4.50");
        assertThat(lines.getLast().priceId()).isNull();
        assertThat(Rating.total(lines)).isZero();
    }

    @ParameterizedTest(name = "subtotal {0}¢ with {1}¢ of credit → {2}¢ applied")
    @CsvSource({
        // usage of ai_call, credit balance, credit applied (minor, negative), total
        "100, 450, -450, 50",
        "100, 500, -500, 0",
        "100, 900, -500, 0",
        "100,   0,    0, 500",
    })
    void shouldApplyCarriedCreditButNeverBelowAZeroTotal(String calls, long balance, long applied, long expectedTotal) {
        List<Rating.RatedLine> lines = rate(Map.of("ai_call", new BigDecimal(calls)), List.of(), balance);

        long credit = lines.stream()
                .filter(l -> l.kind() == LineKind.CREDIT_APPLIED)
                .mapToLong(Rating.RatedLine::amountMinor)
                .sum();
        assertThat(credit).isEqualTo(applied);
        assertThat(Rating.total(lines)).isEqualTo(expectedTotal);
    }

    @ParameterizedTest(name = "{0} × {1} USD does not fit the minor units")
    @CsvSource({
        // quantity,         unit amount
        "99999999999999,     999999999999.999999999", // one window of big events on the largest price
        "92233720368547759,  1", // one minor unit past Long.MAX_VALUE cents: 9223372036854775900
        "-92233720368547759, 1", // and below Long.MIN_VALUE (an adjustment takes usage off)
    })
    void shouldFailWithAmountTooLargeInsteadOfOverflowingWhenALineDoesNotFitTheMinorUnits(
            String quantity, String unitAmount) {
        assertThatThrownBy(() -> Rating.amountMinor(new BigDecimal(quantity), new BigDecimal(unitAmount), "USD"))
                .isInstanceOf(AmountTooLargeException.class)
                .hasMessageContaining("minor units");
    }

    @Test
    void shouldFailWithAmountTooLargeWhenTheLinesAddUpBeyondTheMinorUnits() {
        BigDecimal maximum = BigDecimal.valueOf(Long.MAX_VALUE).movePointLeft(2); // Long.MAX_VALUE cents
        List<Rating.SubscribedPrice> prices = List.of(
                new Rating.SubscribedPrice("p1", "ai_call", "USD", BigDecimal.ONE),
                new Rating.SubscribedPrice("p2", "storage", "USD", BigDecimal.ONE));
        UsagePeriod november =
                new UsagePeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));

        assertThatThrownBy(() -> Rating.rate(
                        "USD", november, Map.of("ai_call", maximum, "storage", BigDecimal.ONE), List.of(), prices, 0))
                .isInstanceOf(AmountTooLargeException.class)
                .hasMessageContaining("total");
    }
}
