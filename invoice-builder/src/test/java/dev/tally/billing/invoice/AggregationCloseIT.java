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
        f.statement("org_1", "c1", "tokens", NOV1).quantity("1.5").insert();
        f.statement("org_1", "c1", "tokens", NOV2).quantity("2.5").insert();
        f.statement("org_1", "c1", "tokens", NOV3).quantity("3").insert();
        f.statement("org_1", "c1", "requests", NOV1)
                .aggregation("count")
                .quantity("2")
                .events(2)
                .insert();
        f.statement("org_1", "c1", "requests", NOV2)
                .aggregation("count")
                .quantity("3")
                .events(3)
                .insert();
        f.statement("org_1", "c1", "floor", NOV1)
                .aggregation("min")
                .quantity("4")
                .insert();
        f.statement("org_1", "c1", "floor", NOV2)
                .aggregation("min")
                .quantity("2.5")
                .insert();
        f.statement("org_1", "c1", "floor", NOV3)
                .aggregation("min")
                .quantity("6")
                .insert();
        // every event of this window was retracted: its zero is no minimum
        f.statement("org_1", "c1", "floor", NOV3.plusSeconds(3600))
                .aggregation("min")
                .quantity("0")
                .events(0)
                .insert();
        f.statement("org_1", "c1", "peak", NOV1)
                .aggregation("max")
                .quantity("4")
                .insert();
        f.statement("org_1", "c1", "peak", NOV2)
                .aggregation("max")
                .quantity("9")
                .insert();
        f.statement("org_1", "c1", "peak", NOV3)
                .aggregation("max")
                .quantity("6")
                .insert();
        f.statement("org_1", "c1", "level", NOV1)
                .aggregation("latest")
                .quantity("6")
                .latestAt(NOV1.plusSeconds(1800))
                .insert();
        f.statement("org_1", "c1", "level", NOV2)
                .aggregation("latest")
                .quantity("5")
                .latestAt(NOV2.plusSeconds(900))
                .insert();
        f.statement("org_1", "c1", "level", NOV3)
                .aggregation("latest")
                .quantity("7")
                .latestAt(NOV3.plusSeconds(3540))
                .insert();
        f.statement("org_1", "c1", "seats", NOV1)
                .aggregation("unique_count")
                .distinct("a", "b")
                .insert();
        f.statement("org_1", "c1", "seats", NOV2)
                .aggregation("unique_count")
                .distinct("b", "c")
                .insert();
        f.statement("org_1", "c1", "seats", NOV3)
                .aggregation("unique_count")
                .distinct("c", "d")
                .insert();

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
}
