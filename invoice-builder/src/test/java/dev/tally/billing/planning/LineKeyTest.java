package dev.tally.billing.planning;

import static dev.tally.billing.planning.Plans.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.cycle.TimeSpan;
import dev.tally.billing.planning.PlannedLine.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineKeyTest {

    private static final TimeSpan MARCH = new TimeSpan(at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z"));

    @Test
    void shouldReadBackTheKeysItWrites() {
        LineKey flat = new LineKey(Kind.PRORATION_CREDIT, "si_1", "price_pro", MARCH);
        LineKey usage = new LineKey(Kind.USAGE, "si_2", "price_calls", MARCH);

        assertThat(flat.text())
                .isEqualTo("flat|proration_credit|si_1|price_pro|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z");
        assertThat(usage.text()).isEqualTo("usage|si_2|price_calls|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z");
        assertThat(LineKey.parse(flat.text())).isEqualTo(new LineKey.Revision(flat, 0));
        assertThat(LineKey.parse(usage.adjustmentText(3))).isEqualTo(new LineKey.Revision(usage, 3));
    }

    @Test
    void shouldRefuseAnIdThatWouldMakeAKeyAmbiguous() {
        assertThatThrownBy(() -> new LineKey(Kind.USAGE, "si|1", "price", MARCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("itemId");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "usage|si_1|p|2026-03-01T00:00:00Z",
                "flat|usage|si_1|p|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z",
                "flat|adjustment|si_1|p|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z",
                "flat|sometimes|si_1|p|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z",
                "usage|si_1|p|2026-04-01T00:00:00Z|2026-03-01T00:00:00Z",
                "usage|si_1|p|March|April",
                "adjustment|usage|si_1|p|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z|0",
                "adjustment|usage|si_1|p|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z|x",
                "adjustment|adjustment|usage|si_1|p|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z|1|1"
            })
    void shouldRefuseTextThatIsNotALineKey(String text) {
        assertThatThrownBy(() -> LineKey.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an invoice line key");
    }
}
