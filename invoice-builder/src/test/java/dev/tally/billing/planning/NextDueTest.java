package dev.tally.billing.planning;

import static dev.tally.billing.planning.Plans.advance;
import static dev.tally.billing.planning.Plans.arrears;
import static dev.tally.billing.planning.Plans.at;
import static dev.tally.billing.planning.Plans.metered;
import static dev.tally.billing.planning.Plans.monthlyUtc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.tally.billing.cycle.Cancellation;
import dev.tally.billing.cycle.ItemChange;
import dev.tally.billing.cycle.SubscriptionFacts;
import dev.tally.billing.cycle.SubscriptionTimeline;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When the cycle worker must plan again: {@link InvoicePlanner#nextDueAt}. */
class NextDueTest {

    private static final String JAN_1 = "2026-01-01T00:00:00Z";

    //  Jan 1 start   Jan 15 trial end   Feb 15          Mar 10 seat×2      Mar 15          Apr 5 cancelled
    //  |--- trial ---|=== in advance ===|===============^==================|===============|
    private static final SubscriptionFacts FLAT = monthlyUtc(
                    JAN_1, advance(JAN_1, "seats", "seat", 1), advance("2026-03-10T00:00:00Z", "seats", "seat", 2))
            .withTrialEnd(at("2026-01-15T00:00:00Z"))
            .withCancellation(Cancellation.at(at("2026-04-05T00:00:00Z")));

    static Stream<Arguments> instants() {
        SubscriptionFacts usageOnly = monthlyUtc(JAN_1, metered(JAN_1, "calls", "calls"));
        SubscriptionFacts inArrears = monthlyUtc(JAN_1, arrears(JAN_1, "help", "support", 1));
        SubscriptionFacts removed = monthlyUtc(
                JAN_1, advance(JAN_1, "plan", "pro", 1), ItemChange.removal(at("2026-02-10T00:00:00Z"), "plan"));
        return Stream.of(
                arguments("before the start: the trial's end", FLAT, "2025-12-01T00:00:00Z", "2026-01-15T00:00:00Z"),
                arguments("during the trial: its end", FLAT, "2026-01-03T00:00:00Z", "2026-01-15T00:00:00Z"),
                arguments("at the trial's end: the next period", FLAT, "2026-01-15T00:00:00Z", "2026-02-15T00:00:00Z"),
                arguments("before a change: the change", FLAT, "2026-03-01T00:00:00Z", "2026-03-10T00:00:00Z"),
                arguments("after the change: the next period", FLAT, "2026-03-10T00:00:00Z", "2026-03-15T00:00:00Z"),
                arguments("before the cancellation: its credit", FLAT, "2026-03-15T00:00:00Z", "2026-04-05T00:00:00Z"),
                arguments("after the cancellation: never", FLAT, "2026-04-05T00:00:00Z", null),
                arguments("usage: the span's end", usageOnly, "2026-01-20T00:00:00Z", "2026-02-01T00:00:00Z"),
                arguments(
                        "usage, years later: still the period's end",
                        usageOnly,
                        "2031-07-04T12:00:00Z",
                        "2031-08-01T00:00:00Z"),
                arguments("in arrears: the period's end", inArrears, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
                arguments("before a removal: its credit", removed, "2026-02-01T00:00:00Z", "2026-02-10T00:00:00Z"),
                arguments("after the last item left: never", removed, "2026-02-10T00:00:00Z", null),
                arguments("no items: never", monthlyUtc(JAN_1), JAN_1, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instants")
    void shouldTellTheNextInstantALineBecomesBillable(
            String scenario, SubscriptionFacts facts, String asOf, String expected) {
        Optional<Instant> next = InvoicePlanner.nextDueAt(SubscriptionTimeline.of(facts), at(asOf));

        assertThat(next).isEqualTo(Optional.ofNullable(expected).map(Plans::at));
    }

    //  planning at the instant it names finds a new line (some usage in every span, as zero usage bills nothing)
    @ParameterizedTest(name = "{0}")
    @MethodSource("instants")
    void shouldNameAnInstantAtWhichPlanningFindsANewLine(
            String scenario, SubscriptionFacts facts, String asOf, String expected) {
        if (expected == null) {
            return;
        }
        UsageSource ledger = (itemId, priceId, featureKey, span) -> new Usage(BigDecimal.ONE, 1);
        List<InvoicedLine> invoiced = Plans.invoiced(List.of(), Plans.plan(facts, ledger, List.of(), asOf));

        InvoicePlan next = Plans.plan(facts, ledger, invoiced, expected);

        assertThat(next.lines()).isNotEmpty();
    }
}
