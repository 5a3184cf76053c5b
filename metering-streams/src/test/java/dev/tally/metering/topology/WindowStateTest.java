package dev.tally.metering.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A window is a small header over one entry per value: taking out its extreme falls back to the
 * next one, read from the entries in their order.
 */
class WindowStateTest {

    @Test
    void shouldFallBackToTheNextSmallestValueWhenTheMinimumIsTakenOut() {
        WindowEntries.Window entries = TestEntries.window(TestEntries.store(), Aggregation.MIN);
        WindowState state = new WindowState(new Definition(Aggregation.MIN, null));
        state.add(value("5"), entries);
        state.add(value("0.000000001"), entries);
        state.add(value("12"), entries);
        state.add(value("0.000000001"), entries);

        state.remove(value("0.000000001"), entries);
        assertThat(state.quantity()).isEqualByComparingTo("0.000000001");
        state.remove(value("0.000000001"), entries);
        assertThat(state.quantity()).isEqualByComparingTo("5");
        state.remove(value("5"), entries);
        state.remove(value("12"), entries);
        assertThat(state.quantity()).isZero();
        assertThat(state.remove(value("12"), entries).held()).isFalse();
    }

    @Test
    void shouldFallBackToTheNextLargestValueWhenTheMaximumIsTakenOut() {
        WindowEntries.Window entries = TestEntries.window(TestEntries.store(), Aggregation.MAX);
        WindowState state = new WindowState(new Definition(Aggregation.MAX, null));
        state.add(value("999999999999999.999999999"), entries);
        state.add(value("256"), entries);
        state.add(value("255.5"), entries);

        state.remove(value("999999999999999.999999999"), entries);

        assertThat(state.quantity()).isEqualByComparingTo("256");
    }

    @Test
    void shouldFallBackToThePreviousEventWhenTheLatestIsTakenOut() {
        WindowEntries.Window entries = TestEntries.window(TestEntries.store(), Aggregation.LATEST);
        WindowState state = new WindowState(new Definition(Aggregation.LATEST, null));
        state.add(new Contribution(decimal("3"), null, 1_000, "b"), entries);
        state.add(new Contribution(decimal("4"), null, 1_000, "a"), entries);
        state.add(new Contribution(decimal("9"), null, 2_000, "c"), entries);

        state.remove(new Contribution(decimal("9"), null, 2_000, "c"), entries);

        // same time: the greater id is the latest
        assertThat(state.quantity()).isEqualByComparingTo("3");
        assertThat(state.latestAt()).isEqualTo(1_000);
    }

    @Test
    void shouldSayWhichDistinctValueAppearsAndVanishes() {
        WindowEntries.Window entries = TestEntries.window(TestEntries.store(), Aggregation.UNIQUE_COUNT);
        WindowState state = new WindowState(new Definition(Aggregation.UNIQUE_COUNT, "user"));

        assertThat(state.add(user("ann"), entries)).isEqualTo("ann");
        assertThat(state.add(user("ann"), entries)).isNull();
        assertThat(state.remove(user("ann"), entries).vanished()).isNull();
        assertThat(state.remove(user("ann"), entries).vanished()).isEqualTo("ann");
        assertThat(state.quantity()).isZero();
    }

    @Test
    void shouldOrderDecimalEntriesAsNumbers() {
        Random random = new Random(42);
        List<BigDecimal> values = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            values.add(
                    BigDecimal.valueOf(random.nextLong(), random.nextInt(10)).setScale(9, java.math.RoundingMode.DOWN));
        }
        values.add(new BigDecimal("-999999999999999.999999999"));
        values.add(BigDecimal.ZERO.setScale(9));

        List<BigDecimal> byKey = values.stream()
                .map(EntryKey::decimal)
                .sorted(java.util.Arrays::compareUnsigned)
                .map(EntryKey::decimal)
                .toList();

        assertThat(byKey).isSortedAccordingTo(BigDecimal::compareTo).hasSize(values.size());
        assertThat(byKey).containsExactlyInAnyOrderElementsOf(values);
    }

    @Test
    void shouldKeepOneWindowsEntriesApartFromTheNextOnes() {
        WindowEntries store = TestEntries.store();
        Series series = new Series("org_1", true, "cus_1", "f");
        Series longer = new Series("org_1", true, "cus_1", "f2");
        WindowEntries.Window window = store.of(WindowEntries.Scope.BILLING_WINDOW, 0, series, Aggregation.MAX);
        WindowEntries.Window other = store.of(WindowEntries.Scope.BILLING_WINDOW, 0, longer, Aggregation.MAX);
        WindowEntries.Window later = store.of(WindowEntries.Scope.BILLING_WINDOW, 1, series, Aggregation.MAX);
        WindowState state = new WindowState(new Definition(Aggregation.MAX, null));
        state.add(value("2"), window);
        state.add(value("7"), window);
        new WindowState(new Definition(Aggregation.MAX, null)).add(value("50"), other);
        new WindowState(new Definition(Aggregation.MAX, null)).add(value("90"), later);

        state.remove(value("7"), window);

        assertThat(state.quantity()).isEqualByComparingTo("2");
        assertThat(window.keys()).hasSize(1);
    }

    @Test
    void shouldDeleteTheEntriesOfWindowsPastRetentionOnly() {
        WindowEntries store = TestEntries.store();
        Series series = new Series("org_1", true, "cus_1", "f");
        for (long start : new long[] {0, 3_600_000, 7_200_000}) {
            WindowEntries.Window window =
                    store.of(WindowEntries.Scope.BILLING_WINDOW, start, series, Aggregation.UNIQUE_COUNT);
            WindowState state = new WindowState(new Definition(Aggregation.UNIQUE_COUNT, "user"));
            state.add(user("ann"), window);
            state.add(user("bo"), window);
        }
        WindowEntries.Window hour = store.of(WindowEntries.Scope.LIVE_HOUR, 0, series, Aggregation.UNIQUE_COUNT);
        new WindowState(new Definition(Aggregation.UNIQUE_COUNT, "user")).add(user("ann"), hour);

        assertThat(store.deleteBefore(WindowEntries.Scope.BILLING_WINDOW, 7_200_000, 3))
                .isEqualTo(3);
        assertThat(store.deleteBefore(WindowEntries.Scope.BILLING_WINDOW, 7_200_000, 3))
                .isEqualTo(1);
        assertThat(store.deleteBefore(WindowEntries.Scope.BILLING_WINDOW, 7_200_000, 3))
                .isZero();

        assertThat(store.of(WindowEntries.Scope.BILLING_WINDOW, 7_200_000, series, Aggregation.UNIQUE_COUNT)
                        .keys())
                .hasSize(2);
        assertThat(hour.keys()).hasSize(1);
    }

    private static Contribution value(String value) {
        return new Contribution(decimal(value), null, 0, "e");
    }

    private static Contribution user(String user) {
        return new Contribution(null, user, 0, "e");
    }

    private static BigDecimal decimal(String value) {
        return new BigDecimal(value).setScale(9);
    }
}
