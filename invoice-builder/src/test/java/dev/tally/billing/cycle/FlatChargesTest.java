package dev.tally.billing.cycle;

import static dev.tally.billing.cycle.Subscriptions.advance;
import static dev.tally.billing.cycle.Subscriptions.arrears;
import static dev.tally.billing.cycle.Subscriptions.at;
import static dev.tally.billing.cycle.Subscriptions.describe;
import static dev.tally.billing.cycle.Subscriptions.exactAmount;
import static dev.tally.billing.cycle.Subscriptions.exactTotal;
import static dev.tally.billing.cycle.Subscriptions.monthly;
import static dev.tally.billing.cycle.Subscriptions.monthlyUtc;
import static dev.tally.billing.cycle.Subscriptions.share;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flat fees and their proration by the second. Subscriptions are monthly, anchored at their start
 * (2026-01-01 00:00 UTC unless said): January and March last 2,678,400 s, February 2,419,200 s.
 */
class FlatChargesTest {

    private static final String JAN_1 = "2026-01-01T00:00:00Z";

    private static List<FlatCharge> charges(SubscriptionFacts facts, long period) {
        SubscriptionTimeline timeline = SubscriptionTimeline.of(facts);
        return timeline.flatCharges(timeline.calendar().period(period));
    }

    static Stream<Arguments> changesInsideAPeriod() {
        return Stream.of(
                //  Jan 1                    Jan 16 12:00:01                 Feb 1
                //  |------ basic×1 ---------|------------ pro×1 ------------|
                //                           credit basic, charge pro: 1,339,199 of 2,678,400 s
                Arguments.of(
                        "an upgrade one second after mid-period",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "plan", "basic", 1),
                                advance("2026-01-16T12:00:01Z", "plan", "pro", 1)),
                        0,
                        List.of(
                                "IN_ADVANCE basic×1 [2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z) 2678400/2678400 @2026-01-01T00:00:00Z",
                                "PRORATION_CREDIT basic×1 [2026-01-16T12:00:01Z, 2026-02-01T00:00:00Z) 1339199/2678400 @2026-01-16T12:00:01Z",
                                "PRORATION_CHARGE pro×1 [2026-01-16T12:00:01Z, 2026-02-01T00:00:00Z) 1339199/2678400 @2026-01-16T12:00:01Z"),
                        List.of("10.00", "-5.00", "15.00")), // 4.99999626… and 14.99998879… rounded once each
                //  Jan 1                                  Jan 21                Feb 1
                //  |------------ pro×1 -------------------|------ basic×1 ------|
                //                                         credit pro, charge basic: 11 days of 31
                Arguments.of(
                        "a downgrade",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "plan", "pro", 1),
                                advance("2026-01-21T00:00:00Z", "plan", "basic", 1)),
                        0,
                        List.of(
                                "IN_ADVANCE pro×1 [2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z) 2678400/2678400 @2026-01-01T00:00:00Z",
                                "PRORATION_CREDIT pro×1 [2026-01-21T00:00:00Z, 2026-02-01T00:00:00Z) 950400/2678400 @2026-01-21T00:00:00Z",
                                "PRORATION_CHARGE basic×1 [2026-01-21T00:00:00Z, 2026-02-01T00:00:00Z) 950400/2678400 @2026-01-21T00:00:00Z"),
                        List.of("30.00", "-10.65", "3.55")), // 10.6451… and 3.5483…
                //  Feb 1                      Feb 15                     Mar 1
                //  |------ seat×5 ------------|------ seat×8 ------------|
                //                             credit 5 seats, charge 8 seats: half the period
                Arguments.of(
                        "a quantity change from 5 to 8 seats",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "seats", "seat", 5),
                                advance("2026-02-15T00:00:00Z", "seats", "seat", 8)),
                        1,
                        List.of(
                                "IN_ADVANCE seat×5 [2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z) 2419200/2419200 @2026-02-01T00:00:00Z",
                                "PRORATION_CREDIT seat×5 [2026-02-15T00:00:00Z, 2026-03-01T00:00:00Z) 1209600/2419200 @2026-02-15T00:00:00Z",
                                "PRORATION_CHARGE seat×8 [2026-02-15T00:00:00Z, 2026-03-01T00:00:00Z) 1209600/2419200 @2026-02-15T00:00:00Z"),
                        List.of("40.00", "-20.00", "32.00")),
                //  Jan 1              Jan 11               Jan 21               Feb 1
                //  |--- basic×1 ------|--- pro×1 ----------|--- pro×3 ----------|
                Arguments.of(
                        "two changes in one period",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "plan", "basic", 1),
                                advance("2026-01-11T00:00:00Z", "plan", "pro", 1),
                                advance("2026-01-21T00:00:00Z", "plan", "pro", 3)),
                        0,
                        List.of(
                                "IN_ADVANCE basic×1 [2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z) 2678400/2678400 @2026-01-01T00:00:00Z",
                                "PRORATION_CREDIT basic×1 [2026-01-11T00:00:00Z, 2026-02-01T00:00:00Z) 1814400/2678400 @2026-01-11T00:00:00Z",
                                "PRORATION_CHARGE pro×1 [2026-01-11T00:00:00Z, 2026-02-01T00:00:00Z) 1814400/2678400 @2026-01-11T00:00:00Z",
                                "PRORATION_CREDIT pro×1 [2026-01-21T00:00:00Z, 2026-02-01T00:00:00Z) 950400/2678400 @2026-01-21T00:00:00Z",
                                "PRORATION_CHARGE pro×3 [2026-01-21T00:00:00Z, 2026-02-01T00:00:00Z) 950400/2678400 @2026-01-21T00:00:00Z"),
                        List.of("10.00", "-6.77", "20.32", "-10.65", "31.94")),
                //  Jan 1               Jan 21          Jan 26          Feb 1
                //  |--- basic×1 -------------------------------------- |
                //                      |-- addon×1 ----|               (added, then removed)
                Arguments.of(
                        "an item added and removed inside the period",
                        monthlyUtc(
                                JAN_1,
                                advance(JAN_1, "plan", "basic", 1),
                                advance("2026-01-21T00:00:00Z", "extra", "addon", 1),
                                ItemChange.removal(at("2026-01-26T00:00:00Z"), "extra")),
                        0,
                        List.of(
                                "IN_ADVANCE basic×1 [2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z) 2678400/2678400 @2026-01-01T00:00:00Z",
                                "PRORATION_CHARGE addon×1 [2026-01-21T00:00:00Z, 2026-02-01T00:00:00Z) 950400/2678400 @2026-01-21T00:00:00Z",
                                "PRORATION_CREDIT addon×1 [2026-01-26T00:00:00Z, 2026-02-01T00:00:00Z) 518400/2678400 @2026-01-26T00:00:00Z"),
                        List.of("10.00", "1.77", "-0.97")),
                //  Paris, March 2026 has 31 days less the hour lost on Mar 29: 2,674,800 s
                //  Mar 1 00:00 CET          Mar 16 00:00 CET    Mar 29 (23 h)    Apr 1 00:00 CEST
                //  |------ basic×1 ---------|------ pro×1 ------------------------|
                Arguments.of(
                        "an upgrade in a month that loses an hour",
                        monthly(
                                "2026-02-28T23:00:00Z",
                                ZoneId.of("Europe/Paris"),
                                advance("2026-02-28T23:00:00Z", "plan", "basic", 1),
                                advance("2026-03-15T23:00:00Z", "plan", "pro", 1)),
                        0,
                        List.of(
                                "IN_ADVANCE basic×1 [2026-02-28T23:00:00Z, 2026-03-31T22:00:00Z) 2674800/2674800 @2026-02-28T23:00:00Z",
                                "PRORATION_CREDIT basic×1 [2026-03-15T23:00:00Z, 2026-03-31T22:00:00Z) 1378800/2674800 @2026-03-15T23:00:00Z",
                                "PRORATION_CHARGE pro×1 [2026-03-15T23:00:00Z, 2026-03-31T22:00:00Z) 1378800/2674800 @2026-03-15T23:00:00Z"),
                        List.of("10.00", "-5.15", "15.46")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changesInsideAPeriod")
    void shouldCreditTheUnusedPartOfTheOldItemAndChargeTheRestAtTheNewOne(
            String scenario, SubscriptionFacts facts, long period, List<String> lines, List<String> amounts) {
        List<FlatCharge> charges = charges(facts, period);

        assertThat(describe(charges)).containsExactlyElementsOf(lines);
        assertThat(charges)
                .extracting(Subscriptions::cents)
                .containsExactlyElementsOf(amounts.stream().map(BigDecimal::new).toList());
    }

    @Test
    void shouldKeepTheExactFractionOfAChangeBySecond() {
        List<FlatCharge> charges = charges(
                monthlyUtc(
                        JAN_1, advance(JAN_1, "plan", "basic", 1), advance("2026-01-16T12:00:01Z", "plan", "pro", 1)),
                0);

        // 30.00 × 1,339,199 / 2,678,400: the amount is kept as the fraction, not as a rounded decimal
        assertThat(exactAmount(charges.get(2)).isEqualTo(new ExactAmount(new BigDecimal("40175970"), 2_678_400)))
                .isTrue();
        assertThat(exactAmount(charges.get(2)).exactDecimal()).isEmpty();
        assertThat(exactAmount(charges.get(1)).isEqualTo(new ExactAmount(new BigDecimal("-13391990"), 2_678_400)))
                .isTrue();
    }

    //  Jan 1              Jan 11               Jan 21               Feb 1
    //  |--- basic×1 ------|--- pro×1 ----------|--- pro×3 ----------|
    //  10 days at 10.00 + 10 days at 30.00 + 11 days at 90.00, each ÷ 31 days = 1390/31
    @Test
    void shouldAddUpToWhatEachVersionCostsForTheTimeItWasHeld() {
        List<FlatCharge> charges = charges(
                monthlyUtc(
                        JAN_1,
                        advance(JAN_1, "plan", "basic", 1),
                        advance("2026-01-11T00:00:00Z", "plan", "pro", 1),
                        advance("2026-01-21T00:00:00Z", "plan", "pro", 3)),
                0);

        ExactAmount piecewise = share("10.00", 1, 864_000, 2_678_400)
                .plus(share("30.00", 1, 864_000, 2_678_400))
                .plus(share("30.00", 3, 950_400, 2_678_400));
        assertThat(exactTotal(charges).isEqualTo(piecewise)).isTrue();
        assertThat(piecewise.isEqualTo(new ExactAmount(new BigDecimal("1390"), 31)))
                .isTrue();
    }

    //  Jan 1                         Feb 1 (change)                Mar 1
    //  |------ basic×1 --------------|------ pro×1 ----------------|
    @Test
    void shouldProrateNothingForAChangeExactlyAtAPeriodBoundary() {
        SubscriptionFacts facts = monthlyUtc(
                JAN_1, advance(JAN_1, "plan", "basic", 1), advance("2026-02-01T00:00:00Z", "plan", "pro", 1));

        assertThat(describe(charges(facts, 0)))
                .containsExactly(
                        "IN_ADVANCE basic×1 [2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z) 2678400/2678400 @2026-01-01T00:00:00Z");
        assertThat(describe(charges(facts, 1)))
                .containsExactly(
                        "IN_ADVANCE pro×1 [2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z) 2419200/2419200 @2026-02-01T00:00:00Z");
    }

    //  anchor Feb 1 (bill on the 1st)
    //  Jan 1            Jan 5 start     Jan 19 trial end           Feb 1                      Mar 1
    //  |---------------- period -1 ----------------------------------|------ period 0 --------|
    //                   |--- trial -----|====== 13 of 31 days =======|======= full ===========|
    @Test
    void shouldProrateFromTheTrialsEndToTheAnchorsNextBoundary() {
        SubscriptionFacts facts = monthlyUtc("2026-01-05T00:00:00Z", advance("2026-01-05T00:00:00Z", "plan", "pro", 1))
                .withTrialEnd(at("2026-01-19T00:00:00Z"))
                .withBillingAnchor(at("2026-02-01T00:00:00Z"));

        assertThat(describe(charges(facts, -1)))
                .containsExactly(
                        "IN_ADVANCE pro×1 [2026-01-19T00:00:00Z, 2026-02-01T00:00:00Z) 1123200/2678400 @2026-01-19T00:00:00Z");
        assertThat(describe(charges(facts, 0)))
                .containsExactly(
                        "IN_ADVANCE pro×1 [2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z) 2419200/2419200 @2026-02-01T00:00:00Z");
    }

    //  no anchor given: the trial's end is the anchor
    //  Dec 19           Jan 5 start     Jan 19 trial end = anchor                 Feb 19
    //  |---------------- period -1 -----|------------- period 0 -------------------|
    //                   |--- trial -----|====== full ==============================|
    @Test
    void shouldAnchorOnTheTrialsEndWhenNoAnchorIsGiven() {
        SubscriptionFacts facts = monthlyUtc("2026-01-05T00:00:00Z", advance("2026-01-05T00:00:00Z", "plan", "pro", 1))
                .withTrialEnd(at("2026-01-19T00:00:00Z"));
        SubscriptionTimeline timeline = SubscriptionTimeline.of(facts);

        assertThat(timeline.calendar().anchor()).isEqualTo(at("2026-01-19T00:00:00Z"));
        assertThat(describe(charges(facts, -1))).isEmpty();
        assertThat(describe(charges(facts, 0)))
                .containsExactly(
                        "IN_ADVANCE pro×1 [2026-01-19T00:00:00Z, 2026-02-19T00:00:00Z) 2678400/2678400 @2026-01-19T00:00:00Z");
    }

    //  Jan 1                     Feb 1      Feb 10 (cancel at period end)     Mar 1
    //  |------ billed -----------|------ billed fully ------------------------|  nothing after
    @Test
    void shouldBillTheLastPeriodFullyWhenCancelledAtPeriodEnd() {
        SubscriptionFacts facts = monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1))
                .withCancellation(Cancellation.atPeriodEnd(at("2026-02-10T00:00:00Z")));
        SubscriptionTimeline timeline = SubscriptionTimeline.of(facts);

        assertThat(describe(charges(facts, 1)))
                .containsExactly(
                        "IN_ADVANCE pro×1 [2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z) 2419200/2419200 @2026-02-01T00:00:00Z");
        assertThat(charges(facts, 2)).isEmpty();
        assertThat(timeline.periods(at(JAN_1), at("2027-01-01T00:00:00Z")))
                .extracting(BillingPeriod::index)
                .containsExactly(0L, 1L);
    }

    //  Feb 1                 Feb 8 (cancel now)                                   Mar 1
    //  |--- basic×1 in advance: charged whole on Feb 1, 21 of 28 days credited ---|
    //  |--- support in arrears: 7 of 28 days, billed at the cancellation
    @Test
    void shouldCreditTheUnusedPartOfAnInAdvanceFeeWhenCancelledMidPeriod() {
        SubscriptionFacts facts = monthlyUtc(
                        JAN_1, advance(JAN_1, "plan", "basic", 1), arrears(JAN_1, "help", "support", 1))
                .withCancellation(Cancellation.at(at("2026-02-08T00:00:00Z")));

        List<FlatCharge> february = charges(facts, 1);

        assertThat(describe(february))
                .containsExactly(
                        "IN_ADVANCE basic×1 [2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z) 2419200/2419200 @2026-02-01T00:00:00Z",
                        "CANCELLATION_CREDIT basic×1 [2026-02-08T00:00:00Z, 2026-03-01T00:00:00Z) 1814400/2419200 @2026-02-08T00:00:00Z",
                        "IN_ARREARS support×1 [2026-02-01T00:00:00Z, 2026-02-08T00:00:00Z) 604800/2419200 @2026-02-08T00:00:00Z");
        assertThat(february)
                .extracting(Subscriptions::cents)
                .containsExactly(new BigDecimal("10.00"), new BigDecimal("-7.50"), new BigDecimal("5.00"));
        assertThat(charges(facts, 2)).isEmpty();
    }

    //  Feb 1              Feb 10 upgrade            Feb 20 cancel now            Mar 1
    //  |--- basic×1 -------|--- pro×1 ----------------|  credited: pro, not basic
    @Test
    void shouldCreditTheItemHeldAtTheCancellationAfterAChangeInThePeriod() {
        SubscriptionFacts facts = monthlyUtc(
                        JAN_1, advance(JAN_1, "plan", "basic", 1), advance("2026-02-10T00:00:00Z", "plan", "pro", 1))
                .withCancellation(Cancellation.at(at("2026-02-20T00:00:00Z")));

        List<FlatCharge> february = charges(facts, 1);

        assertThat(describe(february))
                .containsExactly(
                        "IN_ADVANCE basic×1 [2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z) 2419200/2419200 @2026-02-01T00:00:00Z",
                        "PRORATION_CREDIT basic×1 [2026-02-10T00:00:00Z, 2026-03-01T00:00:00Z) 1641600/2419200 @2026-02-10T00:00:00Z",
                        "PRORATION_CHARGE pro×1 [2026-02-10T00:00:00Z, 2026-03-01T00:00:00Z) 1641600/2419200 @2026-02-10T00:00:00Z",
                        "CANCELLATION_CREDIT pro×1 [2026-02-20T00:00:00Z, 2026-03-01T00:00:00Z) 777600/2419200 @2026-02-20T00:00:00Z");
        // 9 days of basic and 10 days of pro, of 28
        assertThat(exactTotal(february)
                        .isEqualTo(share("10.00", 1, 777_600, 2_419_200).plus(share("30.00", 1, 864_000, 2_419_200))))
                .isTrue();
    }

    //  Jan 1                        Feb 1               Feb 15                Mar 1
    //  |--- seat×5 in arrears ------|--- seat×5 --------|--- seat×8 ----------|
    //  billed at each period's end, one line per version held
    @Test
    void shouldBillAnInArrearsFeeForTheTimeEachVersionWasHeld() {
        SubscriptionFacts facts = monthlyUtc(
                JAN_1, arrears(JAN_1, "seats", "seat", 5), arrears("2026-02-15T00:00:00Z", "seats", "seat", 8));

        assertThat(describe(charges(facts, 0)))
                .containsExactly(
                        "IN_ARREARS seat×5 [2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z) 2678400/2678400 @2026-02-01T00:00:00Z");
        assertThat(describe(charges(facts, 1)))
                .containsExactly(
                        "IN_ARREARS seat×5 [2026-02-01T00:00:00Z, 2026-02-15T00:00:00Z) 1209600/2419200 @2026-03-01T00:00:00Z",
                        "IN_ARREARS seat×8 [2026-02-15T00:00:00Z, 2026-03-01T00:00:00Z) 1209600/2419200 @2026-03-01T00:00:00Z");
    }

    //  started Jan 15 (backdated), looked at on Mar 20
    //  Jan 15             Feb 15             Mar 15      Mar 20      Apr 15
    //  |--- period 0 -----|--- period 1 -----|--- period 2 ----------|
    //  every period it reaches back to is billable now
    @Test
    void shouldBillEveryPeriodABackdatedStartReachesBackTo() {
        SubscriptionTimeline timeline = SubscriptionTimeline.of(monthlyUtc(
                "2026-01-15T00:00:00Z",
                advance("2026-01-15T00:00:00Z", "plan", "basic", 1),
                arrears("2026-01-15T00:00:00Z", "help", "support", 1)));

        assertThat(describe(timeline.flatChargesBillableBy(at("2026-03-20T00:00:00Z"))))
                .containsExactly(
                        "IN_ADVANCE basic×1 [2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z) 2678400/2678400 @2026-01-15T00:00:00Z",
                        "IN_ADVANCE basic×1 [2026-02-15T00:00:00Z, 2026-03-15T00:00:00Z) 2419200/2419200 @2026-02-15T00:00:00Z",
                        "IN_ARREARS support×1 [2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z) 2678400/2678400 @2026-02-15T00:00:00Z",
                        "IN_ADVANCE basic×1 [2026-03-15T00:00:00Z, 2026-04-15T00:00:00Z) 2678400/2678400 @2026-03-15T00:00:00Z",
                        "IN_ARREARS support×1 [2026-02-15T00:00:00Z, 2026-03-15T00:00:00Z) 2419200/2419200 @2026-03-15T00:00:00Z");
    }

    //  started Jan 15 (backdated), anchored on the 1st
    //  Jan 1        Jan 15              Feb 1              Mar 1       Mar 20
    //  |------------ period -1 ---------|--- period 0 -----|--- period 1 ---
    //               |== 17 of 31 days ==|====== full ======|====== full ====
    @Test
    void shouldProrateABackdatedStartUpToTheAnchorsNextBoundary() {
        SubscriptionTimeline timeline = SubscriptionTimeline.of(
                monthlyUtc("2026-01-15T00:00:00Z", advance("2026-01-15T00:00:00Z", "plan", "basic", 1))
                        .withBillingAnchor(at("2026-02-01T00:00:00Z")));

        assertThat(describe(timeline.flatChargesBillableBy(at("2026-03-20T00:00:00Z"))))
                .containsExactly(
                        "IN_ADVANCE basic×1 [2026-01-15T00:00:00Z, 2026-02-01T00:00:00Z) 1468800/2678400 @2026-01-15T00:00:00Z",
                        "IN_ADVANCE basic×1 [2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z) 2419200/2419200 @2026-02-01T00:00:00Z",
                        "IN_ADVANCE basic×1 [2026-03-01T00:00:00Z, 2026-04-01T00:00:00Z) 2678400/2678400 @2026-03-01T00:00:00Z");
    }

    //  Jan 1           Jan 10 cancel     Jan 15 trial end
    //  |--- trial -----|  nothing billed, ever
    @Test
    void shouldBillNothingWhenCancelledDuringTheTrial() {
        SubscriptionFacts facts = monthlyUtc(
                        JAN_1, advance(JAN_1, "plan", "pro", 1), arrears(JAN_1, "help", "support", 1))
                .withTrialEnd(at("2026-01-15T00:00:00Z"))
                .withCancellation(Cancellation.at(at("2026-01-10T00:00:00Z")));

        assertThat(SubscriptionTimeline.of(facts).flatChargesBillableBy(at("2027-01-01T00:00:00Z")))
                .isEmpty();
    }

    @Test
    void shouldBillNothingForQuantityZeroNorForAChangeToTheSameTerms() {
        SubscriptionFacts facts = monthlyUtc(
                JAN_1,
                advance(JAN_1, "seats", "seat", 0),
                advance(JAN_1, "plan", "basic", 1),
                advance("2026-01-10T00:00:00Z", "plan", "basic", 1));

        assertThat(describe(charges(facts, 0)))
                .containsExactly(
                        "IN_ADVANCE basic×1 [2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z) 2678400/2678400 @2026-01-01T00:00:00Z");
    }
}
