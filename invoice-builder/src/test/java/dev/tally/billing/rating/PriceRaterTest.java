package dev.tally.billing.rating;

import static dev.tally.billing.rating.TestPrices.flat;
import static dev.tally.billing.rating.TestPrices.free;
import static dev.tally.billing.rating.TestPrices.graduated;
import static dev.tally.billing.rating.TestPrices.perPackage;
import static dev.tally.billing.rating.TestPrices.perUnit;
import static dev.tally.billing.rating.TestPrices.percentage;
import static dev.tally.billing.rating.TestPrices.terms;
import static dev.tally.billing.rating.TestPrices.tier;
import static dev.tally.billing.rating.TestPrices.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PriceRaterTest {

    /** 0–1000 at 0.10 + 5 flat, 1000–5000 at 0.08 + 10 flat, above 5000 at 0.05. */
    private static final Tier[] TIERS = {tier("1000", "0.10", "5"), tier("5000", "0.08", "10"), tier(null, "0.05", null)
    };

    private static final PriceDefinition GRADUATED = graduated(TIERS);
    private static final PriceDefinition VOLUME = volume(TIERS);
    private static final PriceDefinition PACKAGE = perPackage("1000", "5");
    private static final PriceDefinition PER_UNIT = perUnit("0.10");
    private static final PriceDefinition CARD_FEE = percentage("2.9", "0.30");

    static Stream<Arguments> periods() {
        return Stream.of(
                // description, price, quantity, events, exact amount, minor units
                arguments("flat: one licence", flat("49"), "1", 0, "49", 4900),
                arguments("flat: three seats", flat("49"), "3", 0, "147", 14700),
                arguments("flat: no seat", flat("49"), "0", 0, "0", 0),
                // 0.5 × 49.99 = 24.995 = 2499.5 cents, half to the even 2500
                arguments("flat: half a period, half to even", flat("49.99"), "0.5", 0, "24.995", 2500),
                arguments("per_unit: zero usage", PER_UNIT, "0", 0, "0", 0),
                arguments("per_unit: 1234.5 units", PER_UNIT, "1234.5", 0, "123.45", 12345),
                arguments("graduated: zero usage bills tier 0's flat fee", GRADUATED, "0", 0, "5", 500),
                arguments("graduated: one unit", GRADUATED, "1", 0, "5.10", 510),
                // upTo is inclusive: 1000 × 0.10 + 5
                arguments("graduated: exactly on tier 0's edge", GRADUATED, "1000", 0, "105", 10500),
                // 105 + 1 × 0.08 + 10
                arguments("graduated: one past the edge reaches tier 1", GRADUATED, "1001", 0, "115.08", 11508),
                // 105 + 0.5 × 0.08 + 10
                arguments("graduated: half a unit past the edge", GRADUATED, "1000.5", 0, "115.04", 11504),
                // 105 + 4000 × 0.08 + 10
                arguments("graduated: exactly on tier 1's edge", GRADUATED, "5000", 0, "435", 43500),
                arguments("graduated: into the open tier", GRADUATED, "5001", 0, "435.05", 43505),
                // 435 + 995000 × 0.05
                arguments("graduated: deep in the open tier", GRADUATED, "1000000", 0, "50185", 5018500),
                arguments("graduated: one open tier, zero usage", graduated(tier(null, "0.02", "1")), "0", 0, "1", 100),
                arguments("graduated: one open tier", graduated(tier(null, "0.02", "1")), "250", 0, "6", 600),
                arguments("graduated: one open tier without fee", graduated(tier(null, "0.02", null)), "0", 0, "0", 0),
                // a tier of only a fee: 20, then 2 × 0.50
                arguments(
                        "graduated: a fee-only tier",
                        graduated(tier("10", null, "20"), tier(null, "0.5", null)),
                        "12",
                        0,
                        "21",
                        2100),
                arguments("volume: zero usage bills tier 0's flat fee", VOLUME, "0", 0, "5", 500),
                arguments("volume: exactly on tier 0's edge", VOLUME, "1000", 0, "105", 10500),
                // every unit at tier 1: 1001 × 0.08 + 10
                arguments("volume: one past the edge moves every unit", VOLUME, "1001", 0, "90.08", 9008),
                arguments("volume: exactly on tier 1's edge", VOLUME, "5000", 0, "410", 41000),
                // 5001 × 0.05, tier 2 has no fee
                arguments("volume: the open tier", VOLUME, "5001", 0, "250.05", 25005),
                arguments("volume: deep in the open tier", VOLUME, "10000", 0, "500", 50000),
                arguments("volume: one open tier", volume(tier(null, "0.02", "1")), "250", 0, "6", 600),
                arguments("package: zero usage is no package", PACKAGE, "0", 0, "0", 0),
                arguments("package: one unit starts a package", PACKAGE, "1", 0, "5", 500),
                arguments("package: a partial package is billed whole", PACKAGE, "999.999999999", 0, "5", 500),
                arguments("package: exactly one package", PACKAGE, "1000", 0, "5", 500),
                arguments("package: a billionth past one package", PACKAGE, "1000.000000001", 0, "10", 1000),
                arguments("package: two and a half packages", PACKAGE, "2500", 0, "15", 1500),
                arguments("package: exactly three packages", PACKAGE, "3000", 0, "15", 1500),
                // ⌈1.2 / 0.5⌉ = 3 packages
                arguments("package: fractional size", perPackage("0.5", "1"), "1.2", 0, "3", 300),
                arguments("free units: larger than usage", free(PER_UNIT, "100"), "50", 0, "0", 0),
                arguments("free units: equal to usage", free(PER_UNIT, "100"), "100", 0, "0", 0),
                arguments("free units: one unit more", free(PER_UNIT, "100"), "101", 0, "0.10", 10),
                // 1100 - 100 free = 1000, still tier 0: 100 + 5
                arguments("free units: before the tiers", free(GRADUATED, "100"), "1100", 0, "105", 10500),
                arguments("free units: all free still bills tier 0's fee", free(GRADUATED, "100"), "50", 0, "5", 500),
                arguments("free units: a whole package free", free(PACKAGE, "1000"), "1000", 0, "0", 0),
                arguments("free units: one past the free package", free(PACKAGE, "1000"), "1001", 0, "5", 500),
                arguments("minimum: applies at zero usage", terms(PER_UNIT, null, "10", null), "0", 0, "10", 1000),
                arguments("minimum: raises 5", terms(PER_UNIT, null, "10", null), "50", 0, "10", 1000),
                arguments("minimum: exactly met", terms(PER_UNIT, null, "10", null), "100", 0, "10", 1000),
                arguments("minimum: exceeded", terms(PER_UNIT, null, "10", null), "150", 0, "15", 1500),
                arguments("minimum: after free units", terms(PER_UNIT, "100", "10", null), "150", 0, "10", 1000),
                arguments("minimum: on tiers", terms(GRADUATED, null, "200", null), "1000", 0, "200", 20000),
                arguments("maximum: caps 30", terms(PER_UNIT, null, null, "20"), "300", 0, "20", 2000),
                arguments("maximum: exactly met", terms(PER_UNIT, null, null, "20"), "200", 0, "20", 2000),
                arguments("maximum: zero usage", terms(PER_UNIT, null, null, "20"), "0", 0, "0", 0),
                arguments("minimum and maximum: below", terms(PER_UNIT, null, "10", "20"), "0", 0, "10", 1000),
                arguments("minimum and maximum: between", terms(PER_UNIT, null, "10", "20"), "150", 0, "15", 1500),
                arguments("minimum and maximum: above", terms(PER_UNIT, null, "10", "20"), "1000", 0, "20", 2000),
                arguments("minimum equal to maximum", terms(PER_UNIT, null, "25", "25"), "1000", 0, "25", 2500),
                arguments("percentage: nothing", CARD_FEE, "0", 0, "0", 0),
                // 100 × 2.9 % + 1 × 0.30
                arguments("percentage: one payment", CARD_FEE, "100", 1, "3.2", 320),
                // 1234.56 × 0.029 = 35.80224, + 10 × 0.30 = 38.80224
                arguments("percentage with fixed per event", CARD_FEE, "1234.56", 10, "38.80224", 3880),
                arguments(
                        "percentage: events ignored without a fixed amount",
                        percentage("1.5", null),
                        "1000",
                        7,
                        "15",
                        1500),
                arguments("percentage: a fixed amount only", percentage("0", "0.25"), "0", 4, "1", 100),
                arguments("percentage: 100 percent", percentage("100", null), "12.34", 3, "12.34", 1234),
                // (150 - 100 free) × 10 % + 2 × 0.5: free units do not make events free
                arguments(
                        "percentage: free units off the volume",
                        free(percentage("10", "0.5"), "100"),
                        "150",
                        2,
                        "6",
                        600),
                // 1000 × 2.9 % + 10 × 0.30 = 32, capped
                arguments("percentage: maximum", terms(CARD_FEE, null, null, "5"), "1000", 10, "5", 500),
                arguments("half even: 0.5 cent to 0", perUnit("0.005"), "1", 0, "0.005", 0),
                arguments("half even: 1.5 cents to 2", perUnit("0.005"), "3", 0, "0.015", 2),
                arguments("half even: 2.5 cents to 2", perUnit("0.005"), "5", 0, "0.025", 2),
                arguments("half even: 3.5 cents to 4", perUnit("0.005"), "7", 0, "0.035", 4),
                arguments("half even: 0.125 to 12 cents", perUnit("0.001"), "125", 0, "0.125", 12),
                arguments("half even: 0.135 to 14 cents", perUnit("0.001"), "135", 0, "0.135", 14),
                // 7 × 0.333333333 = 2.333333331
                arguments("many decimals", perUnit("0.333333333"), "7", 0, "2.333333331", 233),
                // 5000000.5 × 0.000000001 = 0.0050000005: just above half a cent
                arguments("just above half a cent", perUnit("0.000000001"), "5000000.5", 0, "0.0050000005", 1),
                // 0.5 × 0.029 = 0.0145: 1.45 cents
                arguments("percentage of half a dollar", CARD_FEE, "0.5", 0, "0.0145", 1),
                // 0.005 + 0.005: rounded once for the line, not 0 + 0 tier by tier
                arguments(
                        "tiers rounded once for the line",
                        graduated(tier("1", "0.005", null), tier(null, "0.005", null)),
                        "2",
                        0,
                        "0.01",
                        1),
                arguments("JPY: 1.5 yen to 2", perUnit("JPY", "1.5"), "1", 0, "1.5", 2),
                arguments("JPY: 4.5 yen to 4", perUnit("JPY", "1.5"), "3", 0, "4.5", 4),
                arguments("JPY: 2.5 yen to 2", perUnit("JPY", "0.5"), "5", 0, "2.5", 2),
                arguments("KWD: 0.5 fils to 0", perUnit("KWD", "0.0005"), "1", 0, "0.0005", 0),
                arguments("KWD: 1.5 fils to 2", perUnit("KWD", "0.0005"), "3", 0, "0.0015", 2),
                arguments("KWD: 1000.5 fils to 1000", flat("KWD", "1.0005"), "1", 0, "1.0005", 1000),
                arguments("BHD: 2.5 fils to 2", perUnit("BHD", "0.0025"), "1", 0, "0.0025", 2),
                arguments(
                        "the largest amount in long minor units",
                        perUnit("1"),
                        "92233720368547758.07",
                        0,
                        "92233720368547758.07",
                        Long.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0}: {2} units, {3} events → {4} ({5} minor)")
    @MethodSource("periods")
    void shouldRateEveryModelAtItsEdgesExactlyAndRoundTheLineOnce(
            String description, PriceDefinition price, String quantity, long events, String amount, long minor) {
        RatedUsage rated = PriceRater.rate(price, new BigDecimal(quantity), events);

        assertThat(rated.currency()).isEqualTo(price.currency());
        assertThat(rated.amount()).isEqualByComparingTo(amount);
        assertThat(rated.amountMinor()).isEqualTo(minor);
        assertThat(rated.breakdown().stream().map(RatedPart::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                .as("the parts add up to the amount exactly")
                .isEqualByComparingTo(rated.amount());
        assertThat(rated.breakdown())
                .filteredOn(p -> p.quantity() != null && p.unitAmount() != null)
                .allSatisfy(p ->
                        assertThat(p.amount()).isEqualByComparingTo(p.quantity().multiply(p.unitAmount())));
    }

    static Stream<Arguments> breakdowns() {
        return Stream.of(
                arguments(
                        GRADUATED,
                        "5001",
                        0,
                        List.of(
                                "TIER#0 1000 × 0.1 = 100",
                                "TIER_FLAT_FEE#0 1 × 5 = 5",
                                "TIER#1 4000 × 0.08 = 320",
                                "TIER_FLAT_FEE#1 1 × 10 = 10",
                                "TIER#2 1 × 0.05 = 0.05")),
                arguments(GRADUATED, "0", 0, List.of("TIER#0 0 × 0.1 = 0", "TIER_FLAT_FEE#0 1 × 5 = 5")),
                arguments(VOLUME, "1001", 0, List.of("TIER#1 1001 × 0.08 = 80.08", "TIER_FLAT_FEE#1 1 × 10 = 10")),
                arguments(
                        graduated(tier("10", null, "20"), tier(null, "0.5", null)),
                        "12",
                        0,
                        List.of("TIER#0 10 × 0 = 0", "TIER_FLAT_FEE#0 1 × 20 = 20", "TIER#1 2 × 0.5 = 1")),
                arguments(PACKAGE, "2500", 0, List.of("PACKAGE 3 × 5 = 15")),
                arguments(
                        CARD_FEE,
                        "1234.56",
                        10,
                        List.of("PERCENTAGE 1234.56 × 0.029 = 35.80224", "FIXED_PER_EVENT 10 × 0.3 = 3")),
                arguments(flat("49"), "3", 0, List.of("FLAT_FEE 3 × 49 = 147")),
                arguments(
                        terms(PER_UNIT, "100", "10", null),
                        "150",
                        0,
                        List.of("FREE_UNITS 100 = 0", "UNITS 50 × 0.1 = 5", "MINIMUM_ADJUSTMENT = 5")),
                arguments(free(PER_UNIT, "100"), "40", 0, List.of("FREE_UNITS 40 = 0", "UNITS 0 × 0.1 = 0")),
                arguments(
                        terms(PER_UNIT, null, null, "20"),
                        "300",
                        0,
                        List.of("UNITS 300 × 0.1 = 30", "MAXIMUM_ADJUSTMENT = -10")));
    }

    @ParameterizedTest(name = "{0}: {1} units → {3}")
    @MethodSource("breakdowns")
    void shouldBreakTheAmountDownIntoItsTiersPackagesFeesAndAdjustments(
            PriceDefinition price, String quantity, long events, List<String> parts) {
        assertThat(PriceRater.rate(price, new BigDecimal(quantity), events).breakdown())
                .map(PriceRaterTest::describe)
                .containsExactlyElementsOf(parts);
    }

    @Test
    void shouldStateTheExactAmountWithoutTrailingZerosButWithTheCurrencysMinorDigits() {
        assertThat(PriceRater.rate(PER_UNIT, new BigDecimal("1234.5"), 0)
                        .amount()
                        .toPlainString())
                .isEqualTo("123.45");
        assertThat(PriceRater.rate(PER_UNIT, BigDecimal.TEN, 0).amount().toPlainString())
                .isEqualTo("1.00");
        assertThat(PriceRater.rate(perUnit("0.001"), new BigDecimal("125"), 0)
                        .amount()
                        .toPlainString())
                .isEqualTo("0.125");
        assertThat(PriceRater.rate(perUnit("JPY", "100"), new BigDecimal("3"), 0)
                        .amount()
                        .toPlainString())
                .isEqualTo("300");
        assertThat(PriceRater.rate(perUnit("KWD", "1"), BigDecimal.ONE, 0)
                        .amount()
                        .toPlainString())
                .isEqualTo("1.000");
    }

    @Test
    void shouldStateQuantitiesAtTheQuantityScale() {
        RatedPart part =
                PriceRater.rate(PACKAGE, new BigDecimal("2500"), 0).breakdown().getFirst();

        assertThat(part.quantity().toPlainString()).isEqualTo("3.000000000");
    }

    @ParameterizedTest(name = "{1} × {0} USD does not fit long minor units")
    @org.junit.jupiter.params.provider.CsvSource({
        "1,                        92233720368547758.08", // Long.MAX_VALUE + 1 cents
        "999999999999.999999999,   100000000000", // the largest unit amount × 10^11 units
    })
    void shouldRefuseAnAmountBeyondLongMinorUnits(String unitAmount, String quantity) {
        assertThatThrownBy(() -> PriceRater.rate(perUnit(unitAmount), new BigDecimal(quantity), 0))
                .isInstanceOf(Currencies.MinorUnitsOverflowException.class)
                .hasMessageContaining("minor units");
    }

    @Test
    void shouldRefuseANegativeQuantityOrEventCountAndMoreThanNineDecimals() {
        assertThatThrownBy(() -> PriceRater.rate(PER_UNIT, new BigDecimal("-1"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quantity must not be negative");
        assertThatThrownBy(() -> PriceRater.rate(PER_UNIT, new BigDecimal("0.0000000001"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quantity must have at most 9 decimal places");
        assertThatThrownBy(() -> PriceRater.rate(CARD_FEE, BigDecimal.ONE, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventCount must not be negative");
    }

    @Test
    void shouldAcceptAQuantityWithTrailingZerosBeyondNineDecimals() {
        assertThat(PriceRater.rate(PER_UNIT, new BigDecimal("3.0000000000000"), 0)
                        .amountMinor())
                .isEqualTo(30);
    }

    /** A part as a human writes it: {@code TIER#0 1000 × 0.1 = 100}. */
    private static String describe(RatedPart part) {
        StringBuilder text = new StringBuilder(part.kind().name());
        if (part.tierIndex() != null) {
            text.append('#').append(part.tierIndex());
        }
        if (part.quantity() != null) {
            text.append(' ').append(plain(part.quantity()));
        }
        if (part.unitAmount() != null) {
            text.append(" × ").append(plain(part.unitAmount()));
        }
        return text.append(" = ").append(plain(part.amount())).toString();
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
