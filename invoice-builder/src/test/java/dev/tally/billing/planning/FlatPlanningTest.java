package dev.tally.billing.planning;

import static dev.tally.billing.planning.Plans.DAILY;
import static dev.tally.billing.planning.Plans.advance;
import static dev.tally.billing.planning.Plans.arrears;
import static dev.tally.billing.planning.Plans.at;
import static dev.tally.billing.planning.Plans.brief;
import static dev.tally.billing.planning.Plans.monthlyUtc;
import static dev.tally.billing.planning.Plans.plan;
import static dev.tally.billing.planning.Plans.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.tally.billing.cycle.Cancellation;
import dev.tally.billing.cycle.ItemChange;
import dev.tally.billing.cycle.SubscriptionFacts;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flat fees and their prorations, by the second, to the cent: basic 10.00, pro 30.00, premium 90.00, seat
 * 8.00, addon 5.00 per month (in advance), support 20.00 (in arrears). Monthly in UTC from Jan 1 2026 unless
 * said; January lasts 31 days.
 */
class FlatPlanningTest {

    private static final String JAN_1 = "2026-01-01T00:00:00Z";
    private static final String JAN_END = "2026-01-31T23:59:59Z";

    static Stream<Arguments> scenarios() {
        return Stream.of(
                //  Jan 1                   Jan 21                 Feb 1
                //  |====== basic ==========|====== pro ===========|
                //  credit basic, charge pro: 11 of 31 days
                arguments(
                        "upgrade",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "plan", "basic", 1),
                                advance("2026-01-21T00:00:00Z", "plan", "pro", 1)),
                        JAN_END,
                        List.of(
                                "IN_ADVANCE basic×1 1000",
                                "PRORATION_CREDIT basic×1 -355",
                                "PRORATION_CHARGE pro×1 1065")),
                //  Jan 1                   Jan 21                 Feb 1
                //  |====== pro ============|====== basic =========|
                arguments(
                        "downgrade",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "plan", "pro", 1),
                                advance("2026-01-21T00:00:00Z", "plan", "basic", 1)),
                        JAN_END,
                        List.of(
                                "IN_ADVANCE pro×1 3000",
                                "PRORATION_CREDIT pro×1 -1065",
                                "PRORATION_CHARGE basic×1 355")),
                //  Feb 1                   Feb 15                 Mar 1
                //  |====== seat×5 =========|====== seat×8 ========|   half of February's 28 days
                arguments(
                        "quantity change",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "seats", "seat", 5),
                                advance("2026-02-15T00:00:00Z", "seats", "seat", 8)),
                        "2026-02-28T23:59:59Z",
                        List.of(
                                "IN_ADVANCE seat×5 4000",
                                "IN_ADVANCE seat×5 4000",
                                "PRORATION_CREDIT seat×5 -2000",
                                "PRORATION_CHARGE seat×8 3200")),
                //  Jan 1        Jan 11 addon added                     Feb 1
                //  |== basic ===|== basic + addon: 21 of 31 days ======|
                arguments(
                        "add an item",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "plan", "basic", 1),
                                advance("2026-01-11T00:00:00Z", "extra", "addon", 1)),
                        JAN_END,
                        List.of("IN_ADVANCE basic×1 1000", "PRORATION_CHARGE addon×1 339")),
                //  Jan 1                        Jan 21 addon removed   Feb 1
                //  |== basic + addon ===========|== basic: 11 of 31 ===|
                arguments(
                        "remove an item",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "plan", "basic", 1),
                                advance(JAN_1, "extra", "addon", 1),
                                ItemChange.removal(at("2026-01-21T00:00:00Z"), "extra")),
                        JAN_END,
                        List.of("IN_ADVANCE addon×1 500", "IN_ADVANCE basic×1 1000", "PRORATION_CREDIT addon×1 -177")),
                //  Jan 1        Jan 11          Jan 21                 Feb 1
                //  |== basic ===|== pro ========|== premium ===========|
                //  10 days at 10.00 + 10 days at 30.00 + 11 days at 90.00, each ÷ 31
                arguments(
                        "two changes in one period",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "plan", "basic", 1),
                                advance("2026-01-11T00:00:00Z", "plan", "pro", 1),
                                advance("2026-01-21T00:00:00Z", "plan", "premium", 1)),
                        JAN_END,
                        List.of(
                                "IN_ADVANCE basic×1 1000",
                                "PRORATION_CREDIT basic×1 -677",
                                "PRORATION_CHARGE pro×1 2032",
                                "PRORATION_CREDIT pro×1 -1065",
                                "PRORATION_CHARGE premium×1 3194")),
                //  Jan 1                   Feb 1 basic -> pro      Mar 1
                //  |====== basic ==========|====== pro ============|   nothing prorated
                arguments(
                        "change at a boundary",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "plan", "basic", 1),
                                advance("2026-02-01T00:00:00Z", "plan", "pro", 1)),
                        "2026-02-01T00:00:00Z",
                        List.of("IN_ADVANCE basic×1 1000", "IN_ADVANCE pro×1 3000")),
                //  Jan 1                   Jan 21 cancelled now    Feb 1         Mar 1
                //  |====== pro ============|-- credited 11/31 -----|  nothing    |
                arguments(
                        "cancel now",
                        monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1))
                                .withCancellation(Cancellation.at(at("2026-01-21T00:00:00Z"))),
                        "2026-03-01T00:00:00Z",
                        List.of("IN_ADVANCE pro×1 3000", "CANCELLATION_CREDIT pro×1 -1065")),
                //  Jan 1         Jan 21 asked           Feb 1 ends      Mar 1
                //  |====== pro ==^======================|  nothing      |
                arguments(
                        "cancel at period end",
                        monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1))
                                .withCancellation(Cancellation.atPeriodEnd(at("2026-01-21T00:00:00Z"))),
                        "2026-03-01T00:00:00Z",
                        List.of("IN_ADVANCE pro×1 3000")),
                //  Jan 1   Jan 5 asked     Jan 15 trial end = the end
                //  |--- trial ---^---------|  nothing ever
                arguments(
                        "cancel during the trial",
                        monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1))
                                .withTrialEnd(at("2026-01-15T00:00:00Z"))
                                .withCancellation(Cancellation.atPeriodEnd(at("2026-01-05T00:00:00Z"))),
                        "2026-03-01T00:00:00Z",
                        List.of()),
                //  Jan 1     Jan 15 trial end (the anchor)    Feb 15            Mar 15
                //  |- trial -|======= full period ============|=== full ========|
                arguments(
                        "trial then the first periods",
                        monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1)).withTrialEnd(at("2026-01-15T00:00:00Z")),
                        "2026-02-15T00:00:00Z",
                        List.of("IN_ADVANCE pro×1 3000", "IN_ADVANCE pro×1 3000")),
                //  Jan 1     Jan 15 trial end      Feb 1 anchor              Mar 1
                //  |- trial -|== 17 of 31 days ====|====== full =============|
                arguments(
                        "trial then a first period up to the anchor",
                        monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1))
                                .withTrialEnd(at("2026-01-15T00:00:00Z"))
                                .withBillingAnchor(at("2026-02-01T00:00:00Z")),
                        "2026-02-01T00:00:00Z",
                        List.of("IN_ADVANCE pro×1 1645", "IN_ADVANCE pro×1 3000")),
                //  Jan 1 start (backdated)   Feb 1        Mar 1        Mar 10 = asOf, the first plan
                //  |====== Jan ==============|=== Feb ====|=== Mar ====^
                arguments(
                        "backdated start bills every period at once",
                        monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1)),
                        "2026-03-10T00:00:00Z",
                        List.of("IN_ADVANCE pro×1 3000", "IN_ADVANCE pro×1 3000", "IN_ADVANCE pro×1 3000")),
                //  Jan 1                                     Feb 1 = asOf: January's support billed at its end
                //  |====== support, in arrears ==============|
                arguments(
                        "in arrears at the period's end",
                        monthlyUtc(JAN_1, arrears(JAN_1, "help", "support", 1)),
                        "2026-02-01T00:00:00Z",
                        List.of("IN_ARREARS support×1 2000")),
                arguments(
                        "in arrears, not before the period's end",
                        monthlyUtc(JAN_1, arrears(JAN_1, "help", "support", 1)),
                        JAN_END,
                        List.of()),
                //  Jan 31 anchor      Feb 14                Feb 28              Mar 31
                //  |== basic =========|== pro: 14 of 28 ====|====== pro ========|   the 31st in February is the 28th
                arguments(
                        "month end: anchored on the 31st",
                        monthlyUtc(
                                "2026-01-31T00:00:00Z",
                                advance("2026-01-31T00:00:00Z", "plan", "basic", 1),
                                advance("2026-02-14T00:00:00Z", "plan", "pro", 1)),
                        "2026-02-28T00:00:00Z",
                        List.of(
                                "IN_ADVANCE basic×1 1000",
                                "PRORATION_CREDIT basic×1 -500",
                                "PRORATION_CHARGE pro×1 1500",
                                "IN_ADVANCE pro×1 3000")),
                //  Jan 31 2028 anchor   Feb 15                Feb 29 (leap)
                //  |== basic ===========|== pro: 14 of 29 ====|
                arguments(
                        "leap year: February 2028 has 29 days",
                        monthlyUtc(
                                "2028-01-31T00:00:00Z",
                                advance("2028-01-31T00:00:00Z", "plan", "basic", 1),
                                advance("2028-02-15T00:00:00Z", "plan", "pro", 1)),
                        "2028-02-28T23:59:59Z",
                        List.of(
                                "IN_ADVANCE basic×1 1000",
                                "PRORATION_CREDIT basic×1 -483",
                                "PRORATION_CHARGE pro×1 1448")),
                //  daily in Paris; Mar 29 2026 lasts 23 h (clocks spring forward at 02:00)
                //  00:00 local (Mar 28 23:00Z)     12:00 local (10:00Z)          24:00 local (Mar 29 22:00Z)
                //  |====== seat×1 =================|=== seat×2: 43,200 of 82,800 s ===|
                arguments(
                        "DST: a day of 23 hours",
                        subscription(
                                "2026-03-28T23:00:00Z",
                                ZoneId.of("Europe/Paris"),
                                DAILY,
                                advance("2026-03-28T23:00:00Z", "seats", "seat", 1),
                                advance("2026-03-29T10:00:00Z", "seats", "seat", 2)),
                        "2026-03-29T21:59:59Z",
                        List.of(
                                "IN_ADVANCE seat×1 800",
                                "PRORATION_CREDIT seat×1 -417",
                                "PRORATION_CHARGE seat×2 835")),
                //  daily in Paris; Oct 25 2026 lasts 25 h (clocks fall back at 03:00)
                //  00:00 local (Oct 24 22:00Z)     12:00 local (11:00Z)          24:00 local (Oct 25 23:00Z)
                //  |====== seat×1 =================|=== seat×2: 43,200 of 90,000 s ===|
                arguments(
                        "DST: a day of 25 hours",
                        subscription(
                                "2026-10-24T22:00:00Z",
                                ZoneId.of("Europe/Paris"),
                                DAILY,
                                advance("2026-10-24T22:00:00Z", "seats", "seat", 1),
                                advance("2026-10-25T11:00:00Z", "seats", "seat", 2)),
                        "2026-10-25T22:59:59Z",
                        List.of(
                                "IN_ADVANCE seat×1 800",
                                "PRORATION_CREDIT seat×1 -384",
                                "PRORATION_CHARGE seat×2 768")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void shouldBillFlatFeesAndProrationsToTheCent(
            String scenario, SubscriptionFacts facts, String asOf, List<String> expected) {
        InvoicePlan plan = plan(facts, Ledger.empty(), List.of(), asOf);

        assertThat(brief(plan)).containsExactlyElementsOf(expected);
        assertThat(plan.lines()).allSatisfy(line -> assertThat(line.amountMinor())
                .isEqualTo(line.amount()
                        .round(2, RoundingMode.HALF_EVEN)
                        .movePointRight(2)
                        .longValueExact()));
        assertThat(plan.totalMinor())
                .isEqualTo(plan.lines().stream()
                        .mapToLong(PlannedLine::amountMinor)
                        .sum());
    }
}
