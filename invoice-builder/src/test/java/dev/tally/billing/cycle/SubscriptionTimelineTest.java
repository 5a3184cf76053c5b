package dev.tally.billing.cycle;

import static dev.tally.billing.cycle.Subscriptions.advance;
import static dev.tally.billing.cycle.Subscriptions.at;
import static dev.tally.billing.cycle.Subscriptions.monthlyUtc;
import static dev.tally.billing.cycle.Subscriptions.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.BillingException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SubscriptionTimelineTest {

    private static final String JAN_1 = "2026-01-01T00:00:00Z";

    //  Jan 1 start         Jan 15 trial end                          Mar 10 cancelled
    //  |---- trialing -----|---------------- active ------------------|---- canceled ----
    @ParameterizedTest(name = "at {0}: {1}")
    @CsvSource({
        "2025-12-31T23:59:59Z, ",
        "2026-01-01T00:00:00Z, TRIALING",
        "2026-01-14T23:59:59Z, TRIALING",
        "2026-01-15T00:00:00Z, ACTIVE",
        "2026-03-09T23:59:59Z, ACTIVE",
        "2026-03-10T00:00:00Z, CANCELED",
        "2027-01-01T00:00:00Z, CANCELED",
    })
    void shouldTellTheStatusAtAnInstantFromTheFactsAlone(Instant instant, SubscriptionStatus status) {
        SubscriptionTimeline timeline = SubscriptionTimeline.of(monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1))
                .withTrialEnd(at("2026-01-15T00:00:00Z"))
                .withCancellation(Cancellation.at(at("2026-03-10T00:00:00Z"))));

        assertThat(timeline.statusAt(instant)).isEqualTo(Optional.ofNullable(status));
    }

    static Stream<Arguments> cancellations() {
        return Stream.of(
                //  Jan 1      Feb 1   Feb 10 asked    Mar 1 ends
                //  |----------|-------^---------------|
                Arguments.of(
                        "at period end",
                        monthlyUtc(JAN_1),
                        Cancellation.atPeriodEnd(at("2026-02-10T00:00:00Z")),
                        "2026-03-01T00:00:00Z"),
                //  asked exactly at a boundary: the period starting there is the last
                Arguments.of(
                        "at period end, asked on a boundary",
                        monthlyUtc(JAN_1),
                        Cancellation.atPeriodEnd(at("2026-02-01T00:00:00Z")),
                        "2026-03-01T00:00:00Z"),
                //  Jan 1 start   Jan 5 asked   Jan 15 trial end = the end
                Arguments.of(
                        "at period end, asked during the trial",
                        monthlyUtc(JAN_1).withTrialEnd(at("2026-01-15T00:00:00Z")),
                        Cancellation.atPeriodEnd(at("2026-01-05T00:00:00Z")),
                        "2026-01-15T00:00:00Z"),
                Arguments.of(
                        "now", monthlyUtc(JAN_1), Cancellation.at(at("2026-02-10T13:14:15Z")), "2026-02-10T13:14:15Z"));
    }

    @ParameterizedTest(name = "cancelled {0}")
    @MethodSource("cancellations")
    void shouldEndWhereTheCancellationTakesEffect(
            String scenario, SubscriptionFacts facts, Cancellation cancellation, Instant endsAt) {
        SubscriptionTimeline timeline = SubscriptionTimeline.of(facts.withCancellation(cancellation));

        assertThat(timeline.endsAt()).contains(endsAt);
        assertThat(timeline.statusAt(endsAt.minusSeconds(1))).isNotEqualTo(Optional.of(SubscriptionStatus.CANCELED));
        assertThat(timeline.statusAt(endsAt)).contains(SubscriptionStatus.CANCELED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "no trial and no anchor: the start,  ,                     ,                     2026-01-01T00:00:00Z",
        "a trial and no anchor: its end,     2026-01-15T00:00:00Z, ,                     2026-01-15T00:00:00Z",
        "an explicit anchor: that one,       2026-01-15T00:00:00Z, 2026-02-01T00:00:00Z, 2026-02-01T00:00:00Z",
    })
    void shouldAnchorTheCalendarOnTheAnchorElseTheTrialsEndElseTheStart(
            String scenario, Instant trialEnd, Instant anchor, Instant expected) {
        SubscriptionFacts facts = monthlyUtc(JAN_1).withTrialEnd(trialEnd).withBillingAnchor(anchor);

        assertThat(SubscriptionTimeline.of(facts).calendar().anchor()).isEqualTo(expected);
    }

    //  Jan 1 start   Jan 15 trial end   Feb 1              Feb 20 calls: price A -> B    Mar 1         Mar 10 cancel
    //  |--- trial ---|=== A ============|=== A ============|=== B =======================|=== B =======|
    //                                                      storage added Feb 20 ========|=============|
    @Test
    void shouldBillUsageOnlyAfterTheTrialBeforeTheCancellationAndPerPriceHeld() {
        SubscriptionTimeline timeline = SubscriptionTimeline.of(monthlyUtc(
                        JAN_1,
                        usage(JAN_1, "calls", "calls_a"),
                        usage("2026-02-20T00:00:00Z", "calls", "calls_b"),
                        usage("2026-02-20T00:00:00Z", "storage", "gb_month"))
                .withTrialEnd(at("2026-01-15T00:00:00Z"))
                .withBillingAnchor(at(JAN_1))
                .withCancellation(Cancellation.at(at("2026-03-10T00:00:00Z"))));

        List<BillingPeriod> periods = timeline.periods(at(JAN_1), at("2027-01-01T00:00:00Z"));

        assertThat(periods).extracting(BillingPeriod::index).containsExactly(0L, 1L, 2L);
        assertThat(periods.stream()
                        .flatMap(p -> timeline.usageSpans(p).stream())
                        .map(s -> s.itemId() + " " + s.priceId() + " " + s.span()))
                .containsExactly(
                        "calls calls_a [2026-01-15T00:00:00Z, 2026-02-01T00:00:00Z)",
                        "calls calls_a [2026-02-01T00:00:00Z, 2026-02-20T00:00:00Z)",
                        "calls calls_b [2026-02-20T00:00:00Z, 2026-03-01T00:00:00Z)",
                        "storage gb_month [2026-02-20T00:00:00Z, 2026-03-01T00:00:00Z)",
                        "calls calls_b [2026-03-01T00:00:00Z, 2026-03-10T00:00:00Z)",
                        "storage gb_month [2026-03-01T00:00:00Z, 2026-03-10T00:00:00Z)");
        assertThat(timeline.billableSpan(periods.get(0)))
                .contains(new TimeSpan(at("2026-01-15T00:00:00Z"), at("2026-02-01T00:00:00Z")));
        assertThat(timeline.billableSpan(timeline.calendar().period(3))).isEmpty();
        assertThat(timeline.flatCharges(periods.get(1))).isEmpty(); // usage items bill no flat fee
    }

    @Test
    void shouldTellTheItemsAsTheyStandAtAnInstant() {
        SubscriptionTimeline timeline = SubscriptionTimeline.of(monthlyUtc(
                JAN_1,
                advance(JAN_1, "seats", "seat", 5),
                advance("2026-02-15T00:00:00Z", "seats", "seat", 8),
                advance(JAN_1, "plan", "basic", 1),
                ItemChange.removal(at("2026-02-01T00:00:00Z"), "plan")));

        assertThat(timeline.itemsAt(at("2026-01-20T00:00:00Z")))
                .extracting(ItemChange::itemId, ItemChange::quantity)
                .containsExactly(tuple("plan", 1L), tuple("seats", 5L));
        assertThat(timeline.itemsAt(at("2026-02-15T00:00:00Z")))
                .extracting(ItemChange::itemId, ItemChange::quantity)
                .containsExactly(tuple("seats", 8L));
    }

    @Test
    void shouldRefuseAPeriodOfAnotherCalendar() {
        SubscriptionTimeline timeline = SubscriptionTimeline.of(monthlyUtc(JAN_1));
        BillingPeriod shifted = new BillingPeriod(0, at("2026-01-02T00:00:00Z"), at("2026-02-02T00:00:00Z"));

        assertThatThrownBy(() -> timeline.flatCharges(shifted)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> invalidFacts() {
        Instant start = at(JAN_1);
        return Stream.<Arguments>of(
                Arguments.of("a trial ending at the start", "trialEnd", (Supplier<?>)
                        () -> monthlyUtc(JAN_1).withTrialEnd(start)),
                Arguments.of("a start between seconds", "startAt", (Supplier<?>) () -> SubscriptionFacts.starting(
                        at("2026-01-01T00:00:00.001Z"), ZoneOffset.UTC, Subscriptions.MONTHLY)),
                Arguments.of("an anchor between seconds", "billingAnchor", (Supplier<?>)
                        () -> monthlyUtc(JAN_1).withBillingAnchor(at("2026-01-01T00:00:00.5Z"))),
                Arguments.of("a cancellation before the start", "cancelAt", (Supplier<?>)
                        () -> monthlyUtc(JAN_1).withCancellation(Cancellation.at(start.minusSeconds(1)))),
                Arguments.of("a change before the start", "items", (Supplier<?>)
                        () -> monthlyUtc(JAN_1, advance("2025-12-31T00:00:00Z", "plan", "pro", 1))),
                Arguments.of("two changes of an item at one instant", "items", (Supplier<?>)
                        () -> monthlyUtc(JAN_1, advance(JAN_1, "plan", "pro", 1), advance(JAN_1, "plan", "basic", 1))),
                Arguments.of("removing an item not held", "items", (Supplier<?>)
                        () -> monthlyUtc(JAN_1, ItemChange.removal(start, "plan"))),
                Arguments.of("a negative quantity", "items", (Supplier<?>)
                        () -> monthlyUtc(JAN_1, advance(JAN_1, "seats", "seat", -1))));
    }

    @ParameterizedTest(name = "{0} is refused on {1}")
    @MethodSource("invalidFacts")
    void shouldRefuseFactsThatDescribeNoSubscriptionNamingTheField(String scenario, String field, Supplier<?> facts) {
        assertThatThrownBy(facts::get).isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.field())
                .contains(field));
    }
}
