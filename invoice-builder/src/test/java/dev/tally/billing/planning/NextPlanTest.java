package dev.tally.billing.planning;

import static dev.tally.billing.planning.Plans.advance;
import static dev.tally.billing.planning.Plans.at;
import static dev.tally.billing.planning.Plans.monthlyUtc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.cycle.Cancellation;
import dev.tally.billing.cycle.SubscriptionFacts;
import dev.tally.billing.cycle.SubscriptionTimeline;
import org.junit.jupiter.api.Test;

/** When the subscription API makes a subscription due after a change: {@link NextPlan#afterChange}. */
class NextPlanTest {

    private static final String JAN_1 = "2026-01-01T00:00:00Z";

    @Test
    void shouldPlanANewSubscriptionAtItsStartWhenItsFirstFeeIsDueThen() {
        SubscriptionFacts facts = monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1));

        assertThat(NextPlan.afterChange(SubscriptionTimeline.of(facts), at(JAN_1)))
                .isEqualTo(at(JAN_1));
    }

    @Test
    void shouldPlanATrialingSubscriptionWhenItsTrialEnds() {
        SubscriptionFacts facts =
                monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1)).withTrialEnd(at("2026-01-15T00:00:00Z"));

        assertThat(NextPlan.afterChange(SubscriptionTimeline.of(facts), at(JAN_1)))
                .isEqualTo(at("2026-01-15T00:00:00Z"));
    }

    @Test
    void shouldPlanAChangeInsideAPeriodAtTheChangeWhoseProrationIsDueThen() {
        SubscriptionFacts facts = monthlyUtc(
                JAN_1, advance(JAN_1, "plan", "pro", 1), advance("2026-01-10T00:00:00Z", "plan", "premium", 1));

        assertThat(NextPlan.afterChange(SubscriptionTimeline.of(facts), at("2026-01-10T00:00:00Z")))
                .isEqualTo(at("2026-01-10T00:00:00Z"));
    }

    @Test
    void shouldPlanABackdatedCancellationThatLeavesNothingDueAtOnceSoItsTakenFeesAreAdjusted() {
        // cancelled on Feb 1, asked later: February's fee, already invoiced, is no longer due at all
        SubscriptionFacts facts = monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1))
                .withCancellation(Cancellation.at(at("2026-02-01T00:00:00Z")));

        assertThat(NextPlan.afterChange(SubscriptionTimeline.of(facts), at("2026-02-01T00:00:00Z")))
                .isEqualTo(at("2026-02-01T00:00:00Z"));
    }
}
