package dev.tally.billing.planning;

import static dev.tally.billing.planning.Plans.PRICES;
import static dev.tally.billing.planning.Plans.advance;
import static dev.tally.billing.planning.Plans.at;
import static dev.tally.billing.planning.Plans.brief;
import static dev.tally.billing.planning.Plans.invoiced;
import static dev.tally.billing.planning.Plans.metered;
import static dev.tally.billing.planning.Plans.monthlyUtc;
import static dev.tally.billing.planning.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.cycle.Cancellation;
import dev.tally.billing.cycle.ItemChange;
import dev.tally.billing.cycle.SubscriptionFacts;
import dev.tally.billing.cycle.SubscriptionTimeline;
import dev.tally.billing.planning.PlannedLine.Billed;
import dev.tally.billing.planning.PlannedLine.Kind;
import dev.tally.billing.rating.BillingTiming;
import dev.tally.billing.rating.Interval;
import dev.tally.billing.rating.PriceDefinition;
import dev.tally.billing.rating.PriceModel;
import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Idempotence, adjustments, late changes, keys, totals and descriptions of {@link InvoicePlanner#plan}. */
class InvoicePlannerTest {

    private static final String JAN_1 = "2026-01-01T00:00:00Z";
    private static final String FEB_1 = "2026-02-01T00:00:00Z";
    private static final String MAR_1 = "2026-03-01T00:00:00Z";

    //  Jan 1 start   Jan 11 trial end   Feb 1 anchor     Feb 15 pro×2      Mar 1          Mar 20 cancel   Apr 1
    //  |--- trial ---|= pro, 21/31 =====|=== pro ========|=== pro×2 =======|=== pro×2 ====|--- credited --|
    //                |= calls ==========|=== calls ======|=== calls ===================== |
    private static SubscriptionFacts eventful() {
        return monthlyUtc(
                        JAN_1,
                        advance(JAN_1, "plan", "pro", 1),
                        advance("2026-02-15T00:00:00Z", "plan", "pro", 2),
                        metered(JAN_1, "calls", "calls"))
                .withTrialEnd(at("2026-01-11T00:00:00Z"))
                .withBillingAnchor(at(FEB_1))
                .withCancellation(Cancellation.at(at("2026-03-20T00:00:00Z")));
    }

    private static Ledger eventfulUsage() {
        return Ledger.empty()
                .record("calls", "2026-01-11T00:00:00Z", FEB_1, "120", 12)
                .record("calls", FEB_1, MAR_1, "333.3", 30)
                .record("calls", MAR_1, "2026-03-20T00:00:00Z", "7", 1);
    }

    @Test
    void shouldPlanNothingWhenItsOwnLinesAreAlreadyInvoiced() {
        InvoicePlan first = plan(eventful(), eventfulUsage(), List.of(), "2026-04-01T00:00:00Z");

        InvoicePlan again = plan(eventful(), eventfulUsage(), invoiced(List.of(), first), "2026-04-01T00:00:00Z");

        assertThat(first.lines()).hasSize(9);
        assertThat(again.lines()).isEmpty();
    }

    @Test
    void shouldBillTheSameLinesPlannedMonthByMonthAsPlannedOnceAtTheEnd() {
        List<InvoicedLine> invoiced = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        long total = 0;
        for (String asOf : List.of(
                "2026-01-05T00:00:00Z",
                "2026-01-11T00:00:00Z",
                FEB_1,
                "2026-02-20T00:00:00Z",
                MAR_1,
                "2026-04-01T00:00:00Z")) {
            InvoicePlan plan = plan(eventful(), eventfulUsage(), invoiced, asOf);
            invoiced = new ArrayList<>(invoiced(invoiced, plan));
            plan.lines().forEach(line -> keys.add(line.key()));
            total += plan.totalMinor();
        }

        InvoicePlan once = plan(eventful(), eventfulUsage(), List.of(), "2026-04-01T00:00:00Z");

        assertThat(keys)
                .containsExactlyInAnyOrderElementsOf(
                        once.lines().stream().map(PlannedLine::key).toList());
        assertThat(total).isEqualTo(once.totalMinor());
    }

    //  Jan 1                                   Feb 1 invoiced: 1200 calls = 120.00
    //  |========== calls ======================|  restated to 1500 (late events): +30.00, then to 900: -60.00
    @Test
    void shouldAdjustAnInvoicedSpanWhoseUsageWasRestatedOnceAndThenNotAgain() {
        SubscriptionFacts facts = monthlyUtc(JAN_1, metered(JAN_1, "calls", "calls"));
        InvoicePlan billed = plan(facts, Ledger.empty().record("calls", JAN_1, FEB_1, "1200", 40), List.of(), FEB_1);
        List<InvoicedLine> invoiced = invoiced(List.of(), billed);

        Ledger restated = Ledger.empty().record("calls", JAN_1, FEB_1, "1500", 50);
        InvoicePlan adjusted = plan(facts, restated, invoiced, "2026-02-10T00:00:00Z");

        String usageKey = "usage|calls|calls|2026-01-01T00:00:00Z|2026-02-01T00:00:00Z";
        assertThat(brief(billed)).containsExactly("USAGE calls×1200 12000");
        assertThat(adjusted.lines()).singleElement().satisfies(line -> {
            assertThat(line.kind()).isEqualTo(Kind.ADJUSTMENT);
            assertThat(line.key()).isEqualTo("adjustment|" + usageKey + "|1");
            assertThat(line.amountMinor()).isEqualTo(3000);
            assertThat(line.quantity()).isEqualByComparingTo("1500");
            assertThat(line.eventCount()).isEqualTo(50);
            assertThat(line.adjusts()).isEqualTo(new Billed(usageKey, new BigDecimal("1200"), 40, 12000));
            assertThat(line.breakdown()).singleElement().satisfies(part -> assertThat(part.amount())
                    .isEqualByComparingTo("150"));
        });

        invoiced = invoiced(invoiced, adjusted);
        assertThat(plan(facts, restated, invoiced, "2026-02-11T00:00:00Z").lines())
                .isEmpty();

        InvoicePlan down =
                plan(facts, Ledger.empty().record("calls", JAN_1, FEB_1, "900", 30), invoiced, "2026-02-12T00:00:00Z");
        assertThat(down.lines()).singleElement().satisfies(line -> {
            assertThat(line.key()).isEqualTo("adjustment|" + usageKey + "|2");
            assertThat(line.amountMinor()).isEqualTo(-6000); // 90.00 now, 150.00 billed
            assertThat(line.adjusts()).isEqualTo(new Billed(usageKey, new BigDecimal("1500"), 50, 15000));
        });
    }

    @Test
    void shouldAdjustToZeroWhenEveryEventOfAnInvoicedSpanIsRetracted() {
        SubscriptionFacts facts = monthlyUtc(JAN_1, metered(JAN_1, "calls", "calls"));
        List<InvoicedLine> invoiced = invoiced(
                List.of(), plan(facts, Ledger.empty().record("calls", JAN_1, FEB_1, "5", 5), List.of(), FEB_1));

        InvoicePlan retracted = plan(facts, Ledger.empty(), invoiced, "2026-02-05T00:00:00Z");

        assertThat(brief(retracted)).containsExactly("ADJUSTMENT calls×0 -50");
        assertThat(plan(facts, Ledger.empty(), invoiced(invoiced, retracted), "2026-02-06T00:00:00Z")
                        .lines())
                .isEmpty();
    }

    //  Jan 1           Jan 16 seats 5 -> 8, recorded late (on Feb 10)   Feb 1 (invoiced at ×5)     Mar 1
    //  |== seat×5 =====|== seat×8 =====================================|== seat×8 =================|
    //  the Jan pair is new; February's in-advance line is adjusted by 3 seats
    @Test
    void shouldBillALateChangeByNewProrationsAndAnAdjustmentOfTheInvoicedPeriod() {
        SubscriptionFacts before = monthlyUtc(JAN_1, advance(JAN_1, "seats", "seat", 5));
        List<InvoicedLine> invoiced = invoiced(List.of(), plan(before, Ledger.empty(), List.of(), FEB_1));
        SubscriptionFacts after = before.withItems(
                List.of(advance(JAN_1, "seats", "seat", 5), advance("2026-01-16T00:00:00Z", "seats", "seat", 8)));

        InvoicePlan plan = plan(after, Ledger.empty(), invoiced, "2026-02-10T00:00:00Z");

        // 16 of 31 days: 5 × 8.00 × 16/31 = 20.645… and 8 × 8.00 × 16/31 = 33.032…
        assertThat(brief(plan))
                .containsExactly(
                        "PRORATION_CREDIT seat×5 -2065", "PRORATION_CHARGE seat×8 3303", "ADJUSTMENT seat×8 2400");
        assertThat(plan.lines().get(2).key())
                .isEqualTo("adjustment|flat|in_advance|seats|seat|2026-02-01T00:00:00Z|2026-03-01T00:00:00Z|1");
    }

    //  Jan 1        Jan 21 cancelled, recorded late (Feb 3)   Feb 1 (already invoiced)   Mar 1
    //  |== pro =====|-- credited 11/31 -----------------------|-- no longer billed: reversed --|
    @Test
    void shouldCreditABackdatedCancellationAndReverseAPeriodItRemoved() {
        SubscriptionFacts before = monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1));
        List<InvoicedLine> invoiced = invoiced(List.of(), plan(before, Ledger.empty(), List.of(), FEB_1));

        InvoicePlan plan = plan(
                before.withCancellation(Cancellation.at(at("2026-01-21T00:00:00Z"))),
                Ledger.empty(),
                invoiced,
                "2026-02-03T00:00:00Z");

        assertThat(brief(plan)).containsExactly("CANCELLATION_CREDIT pro×1 -1065", "ADJUSTMENT pro×0 -3000");
        assertThat(plan.totalMinor()).isEqualTo(-4065);
    }

    @Test
    void shouldLeaveAloneInvoicedLinesThatAreNotYetBillableAsOfAnEarlierInstant() {
        SubscriptionFacts facts = monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1));
        List<InvoicedLine> invoiced = invoiced(List.of(), plan(facts, Ledger.empty(), List.of(), MAR_1));

        assertThat(plan(facts, Ledger.empty(), invoiced, "2026-01-15T00:00:00Z").lines())
                .isEmpty();
    }

    //  Jan 1                    Jan 29 addon, seat, basic added: 3 of 31 days each     Feb 1
    //  |========================|=== 0.4838… + 0.7741… + 0.9677… =======================|
    @Test
    void shouldTotalTheRoundedLinesNotRoundTheExactSum() {
        SubscriptionFacts facts = monthlyUtc(
                JAN_1,
                advance("2026-01-29T00:00:00Z", "a", "addon", 1),
                advance("2026-01-29T00:00:00Z", "b", "seat", 1),
                advance("2026-01-29T00:00:00Z", "c", "basic", 1));

        InvoicePlan plan = plan(facts, Ledger.empty(), List.of(), "2026-01-29T00:00:00Z");

        assertThat(plan.lines()).extracting(PlannedLine::amountMinor).containsExactly(48L, 77L, 97L);
        assertThat(plan.totalMinor()).isEqualTo(222); // the exact sum, 2.2258…, would round to 223
    }

    @Test
    void shouldKeyEveryLineStablyByKindItemPriceAndSpan() {
        InvoicePlan plan = plan(eventful(), eventfulUsage(), List.of(), "2026-04-01T00:00:00Z");

        assertThat(plan.lines())
                .extracting(PlannedLine::key)
                .containsExactly(
                        "flat|in_advance|plan|pro|2026-01-11T00:00:00Z|2026-02-01T00:00:00Z",
                        "flat|in_advance|plan|pro|2026-02-01T00:00:00Z|2026-03-01T00:00:00Z", // Feb 1: fees, then usage
                        "usage|calls|calls|2026-01-11T00:00:00Z|2026-02-01T00:00:00Z",
                        "flat|proration_credit|plan|pro|2026-02-15T00:00:00Z|2026-03-01T00:00:00Z",
                        "flat|proration_charge|plan|pro|2026-02-15T00:00:00Z|2026-03-01T00:00:00Z",
                        "flat|in_advance|plan|pro|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z",
                        "usage|calls|calls|2026-02-01T00:00:00Z|2026-03-01T00:00:00Z",
                        "flat|cancellation_credit|plan|pro|2026-03-20T00:00:00Z|2026-04-01T00:00:00Z",
                        "usage|calls|calls|2026-03-01T00:00:00Z|2026-03-20T00:00:00Z");
    }

    @Test
    void shouldDescribeLinesInTheCustomersTimeZone() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        // Paris midnights: Dec 31 23:00Z is Jan 1 00:00, Jan 20 23:00Z is Jan 21 00:00
        SubscriptionFacts facts = SubscriptionFacts.starting(at("2025-12-31T23:00:00Z"), paris, Plans.MONTHLY)
                .withItems(List.of(
                        advance("2025-12-31T23:00:00Z", "seats", "seat", 3),
                        advance("2026-01-20T23:00:00Z", "seats", "seat", 4),
                        advance("2026-01-16T11:00:01Z", "extra", "addon", 1),
                        metered("2025-12-31T23:00:00Z", "calls", "calls")));
        Ledger ledger = Ledger.empty().record("calls", "2025-12-31T23:00:00Z", "2026-01-31T23:00:00Z", "1234.5", 9);

        InvoicePlan plan = plan(facts, ledger, List.of(), "2026-01-31T23:00:00Z");
        List<InvoicedLine> invoiced = invoiced(List.of(), plan);
        InvoicePlan adjusted = plan(
                facts,
                Ledger.empty().record("calls", "2025-12-31T23:00:00Z", "2026-01-31T23:00:00Z", "1500", 10),
                invoiced,
                "2026-02-02T00:00:00Z");

        assertThat(plan.lines().stream().filter(line -> line.span().from().isBefore(at("2026-01-31T23:00:00Z"))))
                .extracting(PlannedLine::description)
                .containsExactly(
                        "Seat × 3, Jan 1 – Jan 31, 2026",
                        "Remaining time on Add-on × 1, Jan 16 – Jan 31, 2026 (prorated 1,339,199 of 2,678,400 seconds)",
                        "Unused time on Seat × 3, Jan 21 – Jan 31, 2026 (prorated 11 of 31 days)",
                        "Remaining time on Seat × 4, Jan 21 – Jan 31, 2026 (prorated 11 of 31 days)",
                        "API calls × 1234.5, Jan 1 – Jan 31, 2026");
        assertThat(adjusted.lines())
                .extracting(PlannedLine::description)
                .containsExactly("Adjustment: API calls × 1500, Jan 1 – Jan 31, 2026 (was × 1234.5)");
    }

    @Test
    void shouldRefuseAnItemWhosePriceIsMissingInAnotherCurrencyOrOfTheWrongKind() {
        SubscriptionFacts flat = monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1));
        SubscriptionFacts metered = monthlyUtc(JAN_1, metered(JAN_1, "calls", "calls"));
        Map<String, PlannedPrice> euro = new HashMap<>(PRICES);
        euro.put(
                "pro",
                new PlannedPrice(
                        "Pro plan",
                        new PriceDefinition(
                                "EUR",
                                PRICES.get("pro").definition().model(),
                                null,
                                null,
                                null,
                                Interval.MONTH,
                                1,
                                BillingTiming.IN_ADVANCE),
                        null));

        assertThatThrownBy(() -> plan(flat, Map.of(), Ledger.empty(), List.of(), FEB_1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no price pro");
        assertThatThrownBy(() -> plan(flat, euro, Ledger.empty(), List.of(), FEB_1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EUR");
        assertThatThrownBy(() -> plan(metered, Map.of("calls", PRICES.get("pro")), Ledger.empty(), List.of(), FEB_1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("billed as usage");
        assertThatThrownBy(() -> plan(flat, Map.of("pro", PRICES.get("calls")), Ledger.empty(), List.of(), FEB_1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flat fee");
    }

    @Test
    void shouldRefuseInvoicedLinesItDidNotWriteOrWrittenTwice() {
        SubscriptionFacts facts = monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1));
        InvoicedLine line = new InvoicedLine(
                "flat|in_advance|plan|pro|2026-01-01T00:00:00Z|2026-02-01T00:00:00Z", BigDecimal.ONE, 0, 3000);

        assertThatThrownBy(() -> plan(facts, Ledger.empty(), List.of(line, line), FEB_1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() ->
                        plan(facts, Ledger.empty(), List.of(new InvoicedLine("usage|x", BigDecimal.ONE, 0, 1)), FEB_1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an invoice line key");
    }

    @Test
    void shouldRoundEachLineToTheCurrencysOwnMinorUnit() {
        // 0.5 JPY × 3 = 1.5 yen, no minor unit: half to the even 2
        Map<String, PlannedPrice> prices = Map.of(
                "yen",
                new PlannedPrice(
                        "Yen calls",
                        new PriceDefinition(
                                "JPY",
                                new PriceModel.PerUnit(new BigDecimal("0.5")),
                                null,
                                null,
                                null,
                                Interval.MONTH,
                                1,
                                BillingTiming.IN_ARREARS),
                        "ai_call"));
        SubscriptionFacts facts = monthlyUtc(JAN_1, metered(JAN_1, "calls", "yen"));

        InvoicePlan plan = InvoicePlanner.plan(
                SubscriptionTimeline.of(facts),
                "JPY",
                prices,
                Ledger.empty().record("calls", JAN_1, FEB_1, "3", 3),
                List.of(),
                at(FEB_1));

        assertThat(plan.lines()).extracting(PlannedLine::amountMinor).containsExactly(2L);
        assertThat(Currencies.minorDigits(plan.currency())).isZero();
    }

    @Test
    void shouldAskTheLedgerForEachEndedUsageSpanWithItsFeature() {
        Ledger ledger = eventfulUsage();

        plan(eventful(), ledger, List.of(), MAR_1);

        assertThat(ledger.asked())
                .containsExactly(
                        "calls calls ai_call [2026-01-11T00:00:00Z, 2026-02-01T00:00:00Z)",
                        "calls calls ai_call [2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z)");
    }

    @Test
    void shouldBillNothingForAnItemAtQuantityZero() {
        SubscriptionFacts facts =
                monthlyUtc(JAN_1, advance(JAN_1, "seats", "seat", 0), ItemChange.removal(at(FEB_1), "seats"));

        assertThat(plan(facts, Ledger.empty(), List.of(), MAR_1).lines()).isEmpty();
    }
}
