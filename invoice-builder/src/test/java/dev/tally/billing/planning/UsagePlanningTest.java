package dev.tally.billing.planning;

import static dev.tally.billing.planning.Plans.at;
import static dev.tally.billing.planning.Plans.metered;
import static dev.tally.billing.planning.Plans.monthlyUtc;
import static dev.tally.billing.planning.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.tally.billing.cycle.SubscriptionFacts;
import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.planning.PlannedLine.Kind;
import dev.tally.billing.rating.BillingTiming;
import dev.tally.billing.rating.Interval;
import dev.tally.billing.rating.PriceDefinition;
import dev.tally.billing.rating.PriceModel;
import dev.tally.billing.rating.PriceRater;
import dev.tally.billing.rating.RatedUsage;
import dev.tally.billing.rating.Tier;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Usage lines: one usage item "calls" from Jan 1 2026 (UTC, monthly), its January usage in the ledger, planned
 * as of Feb 1 when the span [Jan 1, Feb 1) has ended.
 *
 * <pre>
 *  Jan 1                                         Feb 1 = asOf
 *  |============ usage span, rated once ==========|
 * </pre>
 */
class UsagePlanningTest {

    private static final String JAN_1 = "2026-01-01T00:00:00Z";
    private static final String FEB_1 = "2026-02-01T00:00:00Z";

    /** 0–1000 at 0.10 + 5 flat, 1000–5000 at 0.08 + 10 flat, above 5000 at 0.05 (upTo inclusive). */
    private static final List<Tier> TIERS = List.of(
            new Tier(dec("1000"), dec("0.10"), dec("5")),
            new Tier(dec("5000"), dec("0.08"), dec("10")),
            new Tier(null, dec("0.05"), null));

    private static final PriceDefinition PER_UNIT = price(new PriceModel.PerUnit(dec("0.10")));
    private static final PriceDefinition GRADUATED = price(new PriceModel.Graduated(TIERS));
    private static final PriceDefinition VOLUME = price(new PriceModel.Volume(TIERS));
    private static final PriceDefinition PACKAGE = price(new PriceModel.PerPackage(dec("1000"), dec("5")));
    private static final PriceDefinition CARD_FEE = price(new PriceModel.Percentage(dec("2.9"), dec("0.30")));

    static Stream<Arguments> models() {
        return Stream.of(
                // description, price, quantity, events, the line's minor units (null: no line)
                arguments("per_unit: zero usage bills nothing", PER_UNIT, "0", 0, null),
                arguments("per_unit: 1234.5 units", PER_UNIT, "1234.5", 0, 12345L),
                // 0.000000005 × 0.10 = 0.0000000005: a line that shows the usage, at zero cents
                arguments("per_unit: a billionth of a unit", PER_UNIT, "0.000000001", 0, 0L),
                arguments("graduated: zero usage bills tier 0's flat fee", GRADUATED, "0", 0, 500L),
                arguments("graduated: exactly on tier 0's edge", GRADUATED, "1000", 0, 10500L),
                arguments("graduated: one past the edge", GRADUATED, "1001", 0, 11508L),
                arguments("graduated: exactly on tier 1's edge", GRADUATED, "5000", 0, 43500L),
                arguments("graduated: into the open last tier", GRADUATED, "5001", 0, 43505L),
                arguments("graduated: deep in the open last tier", GRADUATED, "1000000", 0, 5018500L),
                arguments("volume: zero usage bills tier 0's flat fee", VOLUME, "0", 0, 500L),
                arguments("volume: exactly on tier 0's edge", VOLUME, "1000", 0, 10500L),
                arguments("volume: one past the edge moves every unit", VOLUME, "1001", 0, 9008L),
                arguments("volume: the open last tier", VOLUME, "5001", 0, 25005L),
                arguments("package: zero usage is no package", PACKAGE, "0", 0, null),
                arguments("package: a partial package is billed whole", PACKAGE, "999.999999999", 0, 500L),
                arguments("package: exactly one package", PACKAGE, "1000", 0, 500L),
                arguments("package: a billionth past one package", PACKAGE, "1000.000000001", 0, 1000L),
                arguments("package: two and a half packages", PACKAGE, "2500", 0, 1500L),
                // usage the free units cover still gets its line, at zero
                arguments("free units larger than usage", terms(PER_UNIT, "100", null, null), "50", 0, 0L),
                arguments("free units: one unit more", terms(PER_UNIT, "100", null, null), "101", 0, 10L),
                arguments("minimum: owed at zero usage", terms(PER_UNIT, null, "10", null), "0", 0, 1000L),
                arguments("minimum: raises 5.00", terms(PER_UNIT, null, "10", null), "50", 0, 1000L),
                arguments("minimum: exceeded", terms(PER_UNIT, null, "10", null), "150", 0, 1500L),
                arguments("maximum: caps 30.00", terms(PER_UNIT, null, null, "20"), "300", 0, 2000L),
                arguments("maximum: exactly met", terms(PER_UNIT, null, null, "20"), "200", 0, 2000L),
                arguments("minimum and maximum: above", terms(PER_UNIT, null, "10", "20"), "1000", 0, 2000L),
                arguments("percentage: nothing", CARD_FEE, "0", 0, null),
                // 1234.56 × 2.9 % = 35.80224, + 10 × 0.30 = 38.80224
                arguments("percentage with a fixed amount per event", CARD_FEE, "1234.56", 10, 3880L),
                // no volume but events: the fixed amounts alone
                arguments("percentage: events without volume", CARD_FEE, "0", 3, 90L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void shouldRateTheSpanWithPriceRaterSoTheQuoteIsTheInvoiceLine(
            String scenario, PriceDefinition price, String quantity, long events, Long expectedMinor) {
        Ledger ledger = Ledger.empty().record("calls", JAN_1, FEB_1, quantity, events);

        InvoicePlan plan =
                plan(facts(), Map.of("calls", Plans.usage("API calls", "ai_call", price)), ledger, List.of(), FEB_1);

        if (expectedMinor == null) {
            assertThat(plan.lines()).isEmpty();
            return;
        }
        RatedUsage quote = PriceRater.rate(price, new BigDecimal(quantity), events);
        assertThat(plan.lines()).singleElement().satisfies(line -> {
            assertThat(line.kind()).isEqualTo(Kind.USAGE);
            assertThat(line.amountMinor()).isEqualTo(expectedMinor).isEqualTo(quote.amountMinor());
            assertThat(line.amount().exactDecimal())
                    .hasValueSatisfying(a -> assertThat(a).isEqualByComparingTo(quote.amount()));
            assertThat(line.breakdown()).isEqualTo(quote.breakdown());
            assertThat(line.quantity()).isEqualByComparingTo(quantity);
            assertThat(line.eventCount()).isEqualTo(events);
            assertThat(line.featureKey()).isEqualTo("ai_call");
            assertThat(line.span()).isEqualTo(new TimeSpan(at(JAN_1), at(FEB_1)));
        });
        assertThat(plan.totalMinor()).isEqualTo(expectedMinor);
    }

    //  Jan 1 (asOf Jan 31 23:59:59: the span has not ended)   Feb 1 (asOf: it has, inclusive)
    //  |======================================================|
    @Test
    void shouldBillAUsageSpanOnceItHasEndedAndNotBefore() {
        Ledger ledger = Ledger.empty().record("calls", JAN_1, FEB_1, "10", 1);

        assertThat(plan(facts(), ledger, List.of(), "2026-01-31T23:59:59Z").lines())
                .isEmpty();
        assertThat(Plans.brief(plan(facts(), ledger, List.of(), FEB_1))).containsExactly("USAGE calls×10 100");
    }

    //  Jan 1            Jan 16 price a -> b                  Feb 1
    //  |=== calls_a: 0 units ===|=== calls_b: 50 units ======|
    //  each span is one rated period: each owes its minimum of 10.00
    @Test
    void shouldApplyTheMinimumToEachUsageSpanOnItsOwn() {
        PlannedPrice a = Plans.usage("API calls (A)", "ai_call", terms(PER_UNIT, null, "10", null));
        PlannedPrice b = Plans.usage("API calls (B)", "ai_call", terms(PER_UNIT, null, "10", null));
        Ledger ledger = Ledger.empty()
                .record("calls", JAN_1, "2026-01-16T00:00:00Z", "0", 0)
                .record("calls", "2026-01-16T00:00:00Z", FEB_1, "50", 5);

        InvoicePlan plan = plan(
                monthlyUtc(
                        JAN_1, metered(JAN_1, "calls", "calls_a"), metered("2026-01-16T00:00:00Z", "calls", "calls_b")),
                Map.of("calls_a", a, "calls_b", b),
                ledger,
                List.of(),
                FEB_1);

        assertThat(Plans.brief(plan)).containsExactly("USAGE calls_a×0 1000", "USAGE calls_b×50 1000");
        assertThat(plan.lines())
                .extracting(PlannedLine::key)
                .containsExactly(
                        "usage|calls|calls_a|2026-01-01T00:00:00Z|2026-01-16T00:00:00Z",
                        "usage|calls|calls_b|2026-01-16T00:00:00Z|2026-02-01T00:00:00Z");
    }

    //  Jan 1 start       Jan 15 trial end                      Feb 15
    //  |--- trial -------|========= usage span ================|
    //  usage during the trial is never asked for, nor billed
    @Test
    void shouldNeitherAskNorBillUsageDuringTheTrial() {
        Ledger ledger = Ledger.empty()
                .record("calls", JAN_1, "2026-01-15T00:00:00Z", "999", 9)
                .record("calls", "2026-01-15T00:00:00Z", "2026-02-15T00:00:00Z", "20", 2);

        InvoicePlan plan = plan(
                monthlyUtc(JAN_1, metered(JAN_1, "calls", "calls")).withTrialEnd(at("2026-01-15T00:00:00Z")),
                ledger,
                List.of(),
                "2026-02-15T00:00:00Z");

        assertThat(Plans.brief(plan)).containsExactly("USAGE calls×20 200");
        assertThat(ledger.asked()).containsExactly("calls calls ai_call [2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z)");
    }

    private static SubscriptionFacts facts() {
        return monthlyUtc(JAN_1, metered(JAN_1, "calls", "calls"));
    }

    private static PriceDefinition price(PriceModel model) {
        return new PriceDefinition("USD", model, null, null, null, Interval.MONTH, 1, BillingTiming.IN_ARREARS);
    }

    private static PriceDefinition terms(PriceDefinition price, String free, String minimum, String maximum) {
        return new PriceDefinition(
                price.currency(),
                price.model(),
                dec(free),
                dec(minimum),
                dec(maximum),
                Interval.MONTH,
                1,
                BillingTiming.IN_ARREARS);
    }

    private static BigDecimal dec(String value) {
        return value == null ? null : new BigDecimal(value);
    }
}
