package dev.tally.billing.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.tally.billing.rating.PriceInput.TierInput;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PriceValidatorTest {

    private static TierInput tier(String upTo, String unitAmount, String flatAmount) {
        return new TierInput(upTo, unitAmount, flatAmount);
    }

    private static final TierInput OPEN = tier(null, "0.05", null);

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                arguments(PriceRequest.perUnit().currency(null), List.of("currency REQUIRED")),
                arguments(PriceRequest.perUnit().currency("XXX"), List.of("currency UNKNOWN_CURRENCY")),
                arguments(PriceRequest.perUnit().currency("XTS"), List.of("currency UNKNOWN_CURRENCY")),
                arguments(PriceRequest.perUnit().currency("usd"), List.of("currency UNKNOWN_CURRENCY")),
                arguments(PriceRequest.perUnit().currency("USN"), List.of("currency UNKNOWN_CURRENCY")),
                arguments(PriceRequest.of(null), List.of("model REQUIRED")),
                arguments(PriceRequest.of("tiered"), List.of("model UNKNOWN_VALUE")),
                arguments(PriceRequest.of("PER_UNIT").unitAmount("1"), List.of("model UNKNOWN_VALUE")),
                // the model unknown, the fields are still checked for their shape
                arguments(
                        PriceRequest.of("tiered").unitAmount("-1"),
                        List.of("model UNKNOWN_VALUE", "unitAmount NEGATIVE")),
                arguments(PriceRequest.of("per_unit"), List.of("unitAmount REQUIRED")),
                arguments(PriceRequest.perUnit().tiers(List.of(OPEN)), List.of("tiers NOT_ALLOWED")),
                arguments(PriceRequest.perUnit().tiers(List.of()), List.of("tiers NOT_ALLOWED")),
                // a field that does not belong is refused as such, whatever it holds
                arguments(PriceRequest.perUnit().packageSize("abc"), List.of("packageSize NOT_ALLOWED")),
                arguments(PriceRequest.perUnit().flatAmount("5"), List.of("flatAmount NOT_ALLOWED")),
                arguments(
                        PriceRequest.perUnit().fixedAmountPerEvent("0.3"), List.of("fixedAmountPerEvent NOT_ALLOWED")),
                arguments(PriceRequest.of("flat"), List.of("flatAmount REQUIRED")),
                arguments(PriceRequest.of("flat").flatAmount("49").unitAmount("1"), List.of("unitAmount NOT_ALLOWED")),
                arguments(PriceRequest.of("flat").flatAmount("49").freeUnits("10"), List.of("freeUnits NOT_ALLOWED")),
                arguments(
                        PriceRequest.of("flat")
                                .flatAmount("49")
                                .minimumAmount("10")
                                .maximumAmount("100"),
                        List.of("minimumAmount NOT_ALLOWED", "maximumAmount NOT_ALLOWED")),
                arguments(PriceRequest.perUnit().unitAmount("-0.10"), List.of("unitAmount NEGATIVE")),
                arguments(PriceRequest.perUnit().unitAmount("0.0000000001"), List.of("unitAmount TOO_MANY_DECIMALS")),
                arguments(PriceRequest.perUnit().unitAmount("1000000000000"), List.of("unitAmount TOO_LARGE")),
                arguments(PriceRequest.perUnit().unitAmount("1e1000000"), List.of("unitAmount TOO_LARGE")),
                arguments(PriceRequest.perUnit().unitAmount("abc"), List.of("unitAmount MALFORMED")),
                arguments(PriceRequest.perUnit().unitAmount(""), List.of("unitAmount MALFORMED")),
                arguments(PriceRequest.perUnit().freeUnits("-1"), List.of("freeUnits NEGATIVE")),
                arguments(PriceRequest.perUnit().freeUnits("100000000000000000000"), List.of("freeUnits TOO_LARGE")),
                arguments(PriceRequest.perUnit().minimumAmount("-5"), List.of("minimumAmount NEGATIVE")),
                arguments(
                        PriceRequest.perUnit().minimumAmount("20").maximumAmount("10"),
                        List.of("minimumAmount MINIMUM_ABOVE_MAXIMUM")),
                arguments(PriceRequest.of("package").packageAmount("5"), List.of("packageSize REQUIRED")),
                arguments(PriceRequest.of("package").packageSize("1000"), List.of("packageAmount REQUIRED")),
                arguments(
                        PriceRequest.of("package").packageSize("0").packageAmount("5"),
                        List.of("packageSize NOT_POSITIVE")),
                arguments(
                        PriceRequest.of("package").packageSize("-1").packageAmount("5"),
                        List.of("packageSize NEGATIVE")),
                arguments(
                        PriceRequest.of("package").packageSize("0.0000000001").packageAmount("5"),
                        List.of("packageSize TOO_MANY_DECIMALS")),
                arguments(PriceRequest.of("percentage"), List.of("rate REQUIRED")),
                arguments(PriceRequest.of("percentage").rate("100.000000001"), List.of("rate OUT_OF_RANGE")),
                arguments(PriceRequest.of("percentage").rate("1000"), List.of("rate OUT_OF_RANGE")),
                arguments(PriceRequest.of("percentage").rate("-1"), List.of("rate NEGATIVE")),
                arguments(
                        PriceRequest.of("percentage").rate("2.9").fixedAmountPerEvent("-0.3"),
                        List.of("fixedAmountPerEvent NEGATIVE")),
                arguments(PriceRequest.of("graduated"), List.of("tiers REQUIRED")),
                arguments(PriceRequest.graduated(), List.of("tiers EMPTY")),
                arguments(PriceRequest.of("volume").tiers(Collections.nCopies(101, OPEN)), List.of("tiers TOO_MANY")),
                arguments(
                        PriceRequest.graduated(tier("1000", "0.1", null), tier("1000", "0.08", null), OPEN),
                        List.of("tiers[1].upTo NOT_ASCENDING")),
                arguments(
                        PriceRequest.graduated(tier("1000", "0.1", null), tier("500", "0.08", null), OPEN),
                        List.of("tiers[1].upTo NOT_ASCENDING")),
                // compared with the highest edge so far, not only the tier before
                arguments(
                        PriceRequest.graduated(
                                tier("1000", "0.1", null), tier("500", "0.08", null), tier("800", "0.07", null), OPEN),
                        List.of("tiers[1].upTo NOT_ASCENDING", "tiers[2].upTo NOT_ASCENDING")),
                arguments(
                        PriceRequest.graduated(OPEN, tier("1000", "0.1", null), OPEN),
                        List.of("tiers[0].upTo OPEN_TIER_NOT_LAST")),
                arguments(
                        PriceRequest.graduated(tier("1000", "0.1", null), tier("2000", "0.08", null)),
                        List.of("tiers[1].upTo LAST_TIER_NOT_OPEN")),
                arguments(
                        PriceRequest.graduated(tier("1000", "0.1", null)), List.of("tiers[0].upTo LAST_TIER_NOT_OPEN")),
                arguments(PriceRequest.graduated(tier("1000", null, null), OPEN), List.of("tiers[0] REQUIRED")),
                arguments(
                        PriceRequest.graduated(tier("1000", "-0.1", null), OPEN),
                        List.of("tiers[0].unitAmount NEGATIVE")),
                arguments(
                        PriceRequest.graduated(tier("1000", "0.1", "x"), OPEN),
                        List.of("tiers[0].flatAmount MALFORMED")),
                arguments(PriceRequest.graduated(tier("0", "0.1", null), OPEN), List.of("tiers[0].upTo NOT_POSITIVE")),
                arguments(
                        PriceRequest.graduated(tier("1.0000000001", "0.1", null), OPEN),
                        List.of("tiers[0].upTo TOO_MANY_DECIMALS")),
                arguments(PriceRequest.graduated(tier("1000", "0.1", null), null, OPEN), List.of("tiers[1] REQUIRED")),
                arguments(PriceRequest.graduated(OPEN).unitAmount("0.1"), List.of("unitAmount NOT_ALLOWED")),
                arguments(PriceRequest.perUnit().interval(null), List.of("interval REQUIRED")),
                arguments(PriceRequest.perUnit().interval("quarter"), List.of("interval UNKNOWN_VALUE")),
                arguments(PriceRequest.perUnit().intervalCount(0), List.of("intervalCount NOT_POSITIVE")),
                arguments(PriceRequest.perUnit().intervalCount(13), List.of("intervalCount OUT_OF_RANGE")),
                arguments(
                        PriceRequest.perUnit().interval("week").intervalCount(53),
                        List.of("intervalCount OUT_OF_RANGE")),
                arguments(
                        PriceRequest.perUnit().interval("day").intervalCount(366),
                        List.of("intervalCount OUT_OF_RANGE")),
                arguments(
                        PriceRequest.perUnit().interval("year").intervalCount(2),
                        List.of("intervalCount OUT_OF_RANGE")),
                arguments(PriceRequest.oneTimeFlat().intervalCount(2), List.of("intervalCount NOT_ALLOWED")),
                arguments(PriceRequest.perUnit().billingTiming("in_advance"), List.of("billingTiming NOT_ALLOWED")),
                arguments(PriceRequest.perUnit().billingTiming("later"), List.of("billingTiming UNKNOWN_VALUE")),
                arguments(PriceRequest.oneTimeFlat().billingTiming("in_arrears"), List.of("billingTiming NOT_ALLOWED")),
                // every problem at once, in the order of the checks
                arguments(
                        PriceRequest.graduated(
                                        tier("1000", "-1", null), tier("500", "0.1", null), tier("2000", "x", null))
                                .currency("XXX")
                                .unitAmount("0.1")
                                .intervalCount(0),
                        List.of(
                                "currency UNKNOWN_CURRENCY",
                                "unitAmount NOT_ALLOWED",
                                "tiers[0].unitAmount NEGATIVE",
                                "tiers[1].upTo NOT_ASCENDING",
                                "tiers[2].upTo LAST_TIER_NOT_OPEN",
                                "tiers[2].unitAmount MALFORMED",
                                "intervalCount NOT_POSITIVE")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidRequests")
    void shouldReportEveryProblemWithItsExactPathAndCode(PriceRequest input, List<String> expected) {
        PriceValidation result = PriceValidator.validate(input.build());

        assertThat(result).isInstanceOf(PriceValidation.Invalid.class);
        List<FieldProblem> problems = ((PriceValidation.Invalid) result).problems();
        assertThat(problems).map(p -> p.path() + " " + p.code()).containsExactlyElementsOf(expected);
        assertThat(problems).allSatisfy(p -> assertThat(p.message()).startsWith(p.path()));
    }

    @Test
    void shouldNeverEchoTheRefusedValueInTheMessage() {
        String secret = "12345678901234567890.5";

        PriceValidation result = PriceValidator.validate(
                PriceRequest.perUnit().unitAmount(secret).build());

        assertThat(((PriceValidation.Invalid) result).problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).doesNotContain("12345"));
    }

    static Stream<Arguments> validRequests() {
        return Stream.of(
                arguments(
                        PriceRequest.perUnit(),
                        price(
                                new PriceModel.PerUnit(d9("0.10")),
                                null,
                                null,
                                null,
                                Interval.MONTH,
                                1,
                                BillingTiming.IN_ARREARS)),
                arguments(
                        PriceRequest.oneTimeFlat(),
                        price(new PriceModel.Flat(d9("49")), null, null, null, null, null, BillingTiming.IN_ADVANCE)),
                arguments(
                        PriceRequest.of("flat")
                                .flatAmount("49")
                                .interval("year")
                                .billingTiming("in_arrears"),
                        price(
                                new PriceModel.Flat(d9("49")),
                                null,
                                null,
                                null,
                                Interval.YEAR,
                                1,
                                BillingTiming.IN_ARREARS)),
                arguments(
                        PriceRequest.graduated(tier("1000", "0.10", "5"), tier("5000", null, "10"), OPEN)
                                .freeUnits("100")
                                .minimumAmount("10")
                                .maximumAmount("10")
                                .interval("week")
                                .intervalCount(2),
                        price(
                                new PriceModel.Graduated(List.of(
                                        new Tier(d9("1000"), d9("0.10"), d9("5")),
                                        new Tier(d9("5000"), null, d9("10")),
                                        new Tier(null, d9("0.05"), null))),
                                d9("100"),
                                d9("10"),
                                d9("10"),
                                Interval.WEEK,
                                2,
                                BillingTiming.IN_ARREARS)),
                arguments(
                        PriceRequest.of("volume").tiers(List.of(OPEN)),
                        price(
                                new PriceModel.Volume(List.of(new Tier(null, d9("0.05"), null))),
                                null,
                                null,
                                null,
                                Interval.MONTH,
                                1,
                                BillingTiming.IN_ARREARS)),
                arguments(
                        PriceRequest.of("package")
                                .packageSize("1000")
                                .packageAmount("5")
                                .interval("day")
                                .intervalCount(365),
                        price(
                                new PriceModel.PerPackage(d9("1000"), d9("5")),
                                null,
                                null,
                                null,
                                Interval.DAY,
                                365,
                                BillingTiming.IN_ARREARS)),
                arguments(
                        PriceRequest.of("percentage")
                                .rate("2.9")
                                .fixedAmountPerEvent("0.30")
                                .billingTiming("in_arrears"),
                        price(
                                new PriceModel.Percentage(d9("2.9"), d9("0.30")),
                                null,
                                null,
                                null,
                                Interval.MONTH,
                                1,
                                BillingTiming.IN_ARREARS)),
                arguments(
                        PriceRequest.of("percentage").rate("100").currency("KWD"),
                        new PriceDefinition(
                                "KWD",
                                new PriceModel.Percentage(d9("100"), null),
                                null,
                                null,
                                null,
                                Interval.MONTH,
                                1,
                                BillingTiming.IN_ARREARS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRequests")
    void shouldBuildTheDefinitionWithItsDefaultsAndAmountsAtScaleNine(PriceRequest input, PriceDefinition expected) {
        assertThat(PriceValidator.validate(input.build())).isEqualTo(new PriceValidation.Valid(expected));
    }

    @Test
    void shouldRateWhatItValidated() {
        PriceValidation result = PriceValidator.validate(PriceRequest.graduated(tier("1000", "0.10", "5"), OPEN)
                .freeUnits("100")
                .build());

        PriceDefinition price = ((PriceValidation.Valid) result).price();
        // 1200 - 100 free = 1100: 1000 × 0.10 + 5, then 100 × 0.05
        assertThat(PriceRater.rate(price, new BigDecimal("1200"), 0).amountMinor())
                .isEqualTo(11000);
    }

    private static PriceDefinition price(
            PriceModel model,
            BigDecimal freeUnits,
            BigDecimal minimumAmount,
            BigDecimal maximumAmount,
            Interval interval,
            Integer intervalCount,
            BillingTiming timing) {
        return new PriceDefinition(
                "USD", model, freeUnits, minimumAmount, maximumAmount, interval, intervalCount, timing);
    }

    /** {@code value} at the scale the validator holds amounts and quantities in. */
    private static BigDecimal d9(String value) {
        return new BigDecimal(value).setScale(9);
    }
}
