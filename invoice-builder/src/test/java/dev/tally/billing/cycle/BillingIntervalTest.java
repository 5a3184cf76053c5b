package dev.tally.billing.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BillingIntervalTest {

    @ParameterizedTest(name = "every {1} {0}")
    @CsvSource({"day, 1", "day, 1095", "week, 2", "week, 156", "month, 3", "month, 36", "year, 1", "year, 3"})
    void shouldAcceptEveryUnitUpToThreeYears(String unit, int count) {
        BillingInterval interval = BillingInterval.of(unit, count);

        assertThat(interval.unit().wireName()).isEqualTo(unit);
        assertThat(interval.count()).isEqualTo(count);
    }

    @ParameterizedTest(name = "every {1} {0} is refused")
    @CsvSource({"day, 0", "day, -1", "day, 1096", "week, 157", "month, 37", "year, 4"})
    void shouldRefuseACountOutsideOneIntervalToThreeYears(String unit, int count) {
        assertThatThrownBy(() -> BillingInterval.of(unit, count))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.field()).contains("intervalCount"))
                .hasMessageContaining("between 1 and");
    }

    @ParameterizedTest(name = "interval \"{0}\" is refused")
    @CsvSource({"months", "Month", "hour", "''"})
    void shouldRefuseAnUnknownUnitNamingTheIntervalField(String unit) {
        assertThatThrownBy(() -> BillingInterval.of(unit, 1))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.field()).contains("interval"))
                .hasMessageContaining("day, week, month, year");
    }
}
