package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
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

    @Test
    void shouldRateOneLinePerSubscribedPriceWithTheQuantityOfItsFeature() {
        var calls = new Rating.SubscribedPrice("price_calls", "ai_call", "USD", new BigDecimal("0.05"));
        var storage = new Rating.SubscribedPrice("price_gb", "storage_gb", "USD", new BigDecimal("0.125"));
        Map<String, BigDecimal> usage = Map.of(
                "ai_call", new BigDecimal("301.000000000"),
                "unsubscribed", new BigDecimal("99"));

        List<Rating.RatedLine> lines = Rating.rate(usage, List.of(calls, storage));

        assertThat(lines)
                .extracting(Rating.RatedLine::priceId, Rating.RatedLine::amountMinor)
                .containsExactly(Tuple.tuple("price_calls", 1505L), Tuple.tuple("price_gb", 0L));
        assertThat(lines.get(1).quantity()).isEqualByComparingTo("0");
        assertThat(Rating.total(lines)).isEqualTo(1505L);
    }

    @Test
    void shouldTotalTheRoundedLinesNotTheUnroundedProducts() {
        // each line 0.5 cents -> 0 (half even); the unrounded sum would be 1 cent
        var a = new Rating.SubscribedPrice("price_a", "a", "USD", new BigDecimal("0.005"));
        var b = new Rating.SubscribedPrice("price_b", "b", "USD", new BigDecimal("0.005"));

        List<Rating.RatedLine> lines = Rating.rate(Map.of("a", BigDecimal.ONE, "b", BigDecimal.ONE), List.of(a, b));

        assertThat(Rating.total(lines))
                .isEqualTo(lines.get(0).amountMinor() + lines.get(1).amountMinor())
                .isZero();
    }
}
