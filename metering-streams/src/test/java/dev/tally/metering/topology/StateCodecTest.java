package dev.tally.metering.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Window states and dedup records survive their byte layout exactly, for every aggregation. */
class StateCodecTest {

    @Test
    void shouldKeepEveryAggregationsStateExactThroughItsBytes() {
        for (Aggregation aggregation : Aggregation.values()) {
            WindowState state = new WindowState(new Definition(aggregation, "p"));
            state.add(contribution("1.000000001", "a", 10, "e1"), 100);
            state.add(contribution("7.5", "b", 30, "e2"), 100);
            state.add(contribution("1.000000001", "a", 20, "e3"), 100);

            StateCodec.Revised read = StateCodec.decodeRevised(StateCodec.encode(3, state));

            assertThat(read.revision()).isEqualTo(3);
            WindowState copy = read.state();
            assertThat(copy.definition()).isEqualTo(state.definition());
            assertThat(copy.quantity()).as(aggregation.name()).isEqualTo(state.quantity());
            assertThat(copy.eventCount()).isEqualTo(3);
            assertThat(copy.latestAt()).isEqualTo(state.latestAt());
            assertThat(copy.distinctValues()).isEqualTo(state.distinctValues());
            assertThat(copy.remove(contribution("7.5", "b", 30, "e2"))).isTrue();
        }
    }

    @Test
    void shouldRememberWhatARetractionNeeds() {
        SeenEvent seen = SeenEvent.counted(
                new Series("org_1", true, "cus_1", "ai_call"),
                Aggregation.LATEST,
                contribution("2.5", null, 1234, "e1"));

        SeenEvent read = StateCodec.decodeSeen(StateCodec.encode(seen.asRetracted()));

        assertThat(read).isEqualTo(seen.asRetracted());
        assertThat(StateCodec.decodeSeen(StateCodec.encode(SeenEvent.RETRACTION)))
                .isEqualTo(SeenEvent.RETRACTION);
    }

    @Test
    void shouldRefuseAnEntryBeyondTheBoundAndLeaveTheStateAsItWas() {
        WindowState state = new WindowState(new Definition(Aggregation.MAX, null));
        state.add(contribution("1", null, 1, "e1"), 1);

        assertThatThrownBy(() -> state.add(contribution("2", null, 2, "e2"), 1))
                .isInstanceOf(Rejection.class)
                .extracting(e -> ((Rejection) e).code())
                .isEqualTo(Rejections.DISTINCT_LIMIT_EXCEEDED);
        assertThat(state.eventCount()).isEqualTo(1);
        assertThat(state.quantity()).isEqualByComparingTo("1");
    }

    private static Contribution contribution(String value, String distinct, long at, String id) {
        return new Contribution(new BigDecimal(value).setScale(9), distinct, at, id);
    }
}
