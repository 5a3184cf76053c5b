package dev.tally.billing.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.cycle.ExactAmount;
import dev.tally.billing.cycle.TimeSpan;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is left of a planned usage adjustment once a late-usage credit note took part of it. */
class CreditedAdjustmentTest {

    private static final TimeSpan MARCH =
            new TimeSpan(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
    private static final String USAGE_KEY = "usage|si_calls|price_calls|2026-03-01T00:00:00Z|2026-04-01T00:00:00Z";

    /** The span stood at 900 calls for 18.00; it now stands at 500 (10.00): revision 1, -8.00. */
    private static PlannedLine lowering() {
        return new PlannedLine(
                "adjustment|" + USAGE_KEY + "|1",
                PlannedLine.Kind.ADJUSTMENT,
                "si_calls",
                "price_calls",
                "ai_call",
                MARCH,
                new BigDecimal("500"),
                5,
                null,
                new ExactAmount(new BigDecimal("-8.00"), 1),
                -800,
                List.of(),
                new PlannedLine.Billed(USAGE_KEY, new BigDecimal("900"), 9, 1800),
                "API calls, Mar 1 – Mar 31, 2026 (900 → 500)");
    }

    @Test
    void shouldLeaveNothingWhenTheNoteTookTheWholeAdjustment() {
        assertThat(CreditedAdjustment.remainder(lowering(), 800, "USD")).isEmpty();
    }

    @Test
    void shouldLeaveTheRestAsTheKeysNextRevisionFromWhatTheNoteLeft() {
        PlannedLine rest = CreditedAdjustment.remainder(lowering(), 300, "USD").orElseThrow();

        assertThat(rest.key()).isEqualTo("adjustment|" + USAGE_KEY + "|2");
        assertThat(rest.amountMinor()).isEqualTo(-500);
        assertThat(rest.amount().numerator()).isEqualByComparingTo("-5.00");
        assertThat(rest.amount().denominator()).isOne();
        assertThat(rest.quantity()).isEqualByComparingTo("500");
        // the key stood, with the note, at the usage now and 18.00 - 3.00
        assertThat(rest.adjusts()).isEqualTo(new PlannedLine.Billed(USAGE_KEY, new BigDecimal("500"), 5, 1500));
    }

    @Test
    void shouldRefuseACreditBeyondTheAdjustmentOrOfAnotherLine() {
        assertThatThrownBy(() -> CreditedAdjustment.remainder(lowering(), 801, "USD"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CreditedAdjustment.remainder(lowering(), 0, "USD"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
