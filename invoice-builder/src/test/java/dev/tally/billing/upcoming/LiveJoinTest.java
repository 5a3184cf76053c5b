package dev.tally.billing.upcoming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.UsageMerge;
import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The join of ledger windows and live minutes in one span, Apr 1 – May 1, now Apr 10 12:30.
 *
 * <pre>
 *  ledger windows (10 s, as locally) ........ 12:00:30 | live minutes from 12:00 (floored: its minute holds them)
 *  ledger windows (1 h) .................... 12:00    | live minutes from 12:00
 * </pre>
 */
class LiveJoinTest {

    private static final TimeSpan APRIL =
            new TimeSpan(Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-05-01T00:00:00Z"));
    private static final Instant NOW = Instant.parse("2026-04-10T12:30:00Z");

    @Test
    void shouldStartTheLivePartAtTheEndOfTheLedgersLastWindow() {
        List<LedgerEntry> ledger = List.of(window(Aggregation.SUM, "2026-04-10T11:00:00Z", 3600, "5"));

        assertThat(LiveJoin.liveFrom(ledger, APRIL, NOW)).contains(Instant.parse("2026-04-10T12:00:00Z"));
    }

    @Test
    void shouldFloorTheCutToTheMinuteAndLeaveTheLedgersWindowsInThatMinuteToTheLiveMinute() {
        List<LedgerEntry> ledger = List.of(
                window(Aggregation.SUM, "2026-04-10T11:59:50Z", 10, "1"),
                window(Aggregation.SUM, "2026-04-10T12:00:10Z", 10, "2"),
                window(Aggregation.SUM, "2026-04-10T12:00:20Z", 10, "4"));
        Instant cut = LiveJoin.liveFrom(ledger, APRIL, NOW).orElseThrow();
        // metering's 12:00 minute holds the 12:00:10 and 12:00:20 windows' 6 and 8 more after them
        List<LiveWindow> minutes = List.of(live(Aggregation.SUM, "2026-04-10T12:00:00Z", "14"));

        List<LedgerEntry> rows = LiveJoin.join(ledger, minutes, cut, "acme", "ai_call");

        assertThat(cut).isEqualTo(Instant.parse("2026-04-10T12:00:00Z"));
        assertThat(UsageMerge.merge(rows, windows -> 0)).isEqualByComparingTo("15");
    }

    @Test
    void shouldTakeEveryMinuteOfTheSpanWhenTheLedgerHasNoWindowInIt() {
        assertThat(LiveJoin.liveFrom(List.of(), APRIL, NOW)).contains(APRIL.from());
    }

    @Test
    void shouldHaveNoLivePartOnceTheLedgerCoversTheSpanToNow() {
        TimeSpan past = new TimeSpan(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
        List<LedgerEntry> ledger = List.of(window(Aggregation.SUM, "2026-03-31T23:00:00Z", 3600, "5"));

        assertThat(LiveJoin.liveFrom(ledger, past, NOW)).isEmpty();
    }

    @Test
    void shouldMergeLiveMinutesByTheirAggregationAsClosedWindowsAre() {
        List<LedgerEntry> ledger = List.of(window(Aggregation.MAX, "2026-04-10T11:00:00Z", 3600, "7"));
        List<LiveWindow> minutes = List.of(
                live(Aggregation.MAX, "2026-04-10T12:01:00Z", "9"), live(Aggregation.MAX, "2026-04-10T12:02:00Z", "3"));

        List<LedgerEntry> rows = LiveJoin.join(ledger, minutes, Instant.parse("2026-04-10T12:00:00Z"), "acme", "seats");

        assertThat(UsageMerge.merge(rows, windows -> 0)).isEqualByComparingTo("9");
    }

    @Test
    void shouldRefuseToJoinADistinctCountFromMinuteCounts() {
        List<LedgerEntry> ledger = List.of(window(Aggregation.UNIQUE_COUNT, "2026-04-10T11:00:00Z", 3600, "3"));
        List<LiveWindow> minutes = List.of(live(Aggregation.UNIQUE_COUNT, "2026-04-10T12:01:00Z", "2"));
        Instant cut = Instant.parse("2026-04-10T12:00:00Z");

        assertThatIllegalArgumentException().isThrownBy(() -> LiveJoin.join(ledger, List.of(), cut, "acme", "users"));
        assertThatIllegalArgumentException().isThrownBy(() -> LiveJoin.join(List.of(), minutes, cut, "acme", "users"));
    }

    private static LedgerEntry window(Aggregation aggregation, String start, long seconds, String quantity) {
        Instant from = Instant.parse(start);
        return new LedgerEntry(
                1,
                "agg-" + start,
                "w|" + start,
                "org_1",
                false,
                "acme",
                "ai_call",
                from,
                from.plusSeconds(seconds),
                new BigDecimal(quantity),
                1,
                "window",
                aggregation,
                0,
                from,
                from.plusSeconds(seconds),
                null);
    }

    private static LiveWindow live(Aggregation aggregation, String start, String quantity) {
        Instant from = Instant.parse(start);
        return new LiveWindow(aggregation, from, from.plusSeconds(60), new BigDecimal(quantity), 1);
    }
}
