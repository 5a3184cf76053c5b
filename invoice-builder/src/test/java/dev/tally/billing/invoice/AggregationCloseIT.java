package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.BillingFixtures;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A period merges its windows by each feature's aggregation, exactly. Customer c1, every price
 * 1 USD per unit, November:
 *
 * <pre>
 *  feature   aggregation    windows (Nov 1, Nov 2, Nov 3)                      period
 *  tokens    sum            1.5        2.5            3                         7
 *  requests  count          2          3                                        5
 *  floor     min            4          2.5            6    (+ an empty window)  2.5
 *  peak      max            4          9              6                         9
 *  level     latest         6 @00:30   5 @Nov2 10:15  7 @Nov3 09:59             7
 *  seats     unique_count   {a,b}      {b,c}          {c,d}                     4
 * </pre>
 */
class AggregationCloseIT {

    private static final Instant NOV1 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NOV2 = Instant.parse("2026-11-02T10:00:00Z");
    private static final Instant NOV3 = Instant.parse("2026-11-03T09:00:00Z");

    @Test
    void shouldMergeTheWindowsOfAPeriodByEachAggregation() {
        CloseHarness harness = new CloseHarness();
        BillingFixtures f = harness.fixtures;
        for (String feature : new String[] {"tokens", "requests", "floor", "peak", "level", "seats"}) {
            f.catalog("org_1", "cus_1", "c1", feature, "price_" + feature, BigDecimal.ONE);
            f.subscribe("org_1", "cus_1", "price_" + feature);
        }
        windows(f, "tokens", "sum", "1.5", "2.5", "3");
        window(f, "requests", "count", NOV1).quantity("2").events(2).insert();
        window(f, "requests", "count", NOV2).quantity("3").events(3).insert();
        windows(f, "floor", "min", "4", "2.5", "6");
        // every event of this window was retracted: its zero is no minimum
        window(f, "floor", "min", NOV3.plusSeconds(3600))
                .quantity("0")
                .events(0)
                .insert();
        windows(f, "peak", "max", "4", "9", "6");
        window(f, "level", "latest", NOV1)
                .quantity("6")
                .latestAt(NOV1.plusSeconds(1800))
                .insert();
        window(f, "level", "latest", NOV2)
                .quantity("5")
                .latestAt(NOV2.plusSeconds(900))
                .insert();
        window(f, "level", "latest", NOV3)
                .quantity("7")
                .latestAt(NOV3.plusSeconds(3540))
                .insert();
        window(f, "seats", "unique_count", NOV1).distinct("a", "b").insert();
        window(f, "seats", "unique_count", NOV2).distinct("b", "c").insert();
        window(f, "seats", "unique_count", NOV3).distinct("c", "d").insert();

        Invoice november = harness.closeOne("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");

        Map<String, BigDecimal> quantities = harness.lines(november).stream()
                .collect(Collectors.toMap(
                        InvoiceLine::featureKey, l -> l.quantity().stripTrailingZeros()));
        assertThat(quantities)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "tokens", new BigDecimal("7"),
                        "requests", new BigDecimal("5"),
                        "floor", new BigDecimal("2.5"),
                        "peak", new BigDecimal("9"),
                        "level", new BigDecimal("7"),
                        "seats", new BigDecimal("4")));
        assertThat(november.totalMinor()).isEqualTo(700 + 500 + 250 + 900 + 700 + 400);
        assertThat(harness.unbilledAggregates()).isEmpty();
    }

    /** One statement per window of the table's row: {@code quantities} of Nov 1, Nov 2 and Nov 3 in order. */
    private static void windows(BillingFixtures f, String feature, String aggregation, String... quantities) {
        Instant[] starts = {NOV1, NOV2, NOV3};
        for (int i = 0; i < quantities.length; i++) {
            window(f, feature, aggregation, starts[i]).quantity(quantities[i]).insert();
        }
    }

    /** c1's statement of {@code feature}'s window at {@code start}, merged by {@code aggregation}. */
    private static BillingFixtures.Statement window(
            BillingFixtures f, String feature, String aggregation, Instant start) {
        return f.statement("org_1", "c1", feature, start).aggregation(aggregation);
    }
}
