package dev.tally.metering.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.avro.Aggregation;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Window headers and dedup records survive their byte layout exactly, for every aggregation. */
class StateCodecTest {

    @Test
    void shouldKeepEveryAggregationsHeaderExactThroughItsBytes() {
        for (Aggregation aggregation : Aggregation.values()) {
            WindowEntries.Window entries = TestEntries.window(TestEntries.store(), aggregation);
            WindowState state = new WindowState(new Definition(aggregation, "p"));
            state.add(contribution("1.000000001", "a", 10, "e1"), entries);
            state.add(contribution("7.5", "b", 30, "e2"), entries);
            state.add(contribution("1.000000001", "a", 20, "e3"), entries);

            StateCodec.Revised read = StateCodec.decodeRevised(StateCodec.encode(3, state));

            assertThat(read.revision()).isEqualTo(3);
            WindowState copy = read.state();
            assertThat(copy.definition()).isEqualTo(state.definition());
            assertThat(copy.quantity()).as(aggregation.name()).isEqualTo(state.quantity());
            assertThat(copy.eventCount()).isEqualTo(3);
            assertThat(copy.latestAt()).isEqualTo(state.latestAt());
            assertThat(copy.distinctValues(entries)).isEqualTo(state.distinctValues(entries));
            assertThat(copy.remove(contribution("7.5", "b", 30, "e2"), entries).held())
                    .isTrue();
            assertThat(StateCodec.decodeState(StateCodec.encode(copy)).quantity())
                    .as(aggregation.name())
                    .isEqualTo(copy.quantity());
        }
    }

    @Test
    void shouldRefuseAWholeWindowStateOfTheFormatBeforeTheEntriesStore() {
        // the old layout began with the aggregation's ordinal: SUM, no property, 1 event, sum 0
        byte[] old = {0, 0, 1, 1, 0};

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StateCodec.decodeState(old))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reset the metering application's state");
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

    private static Contribution contribution(String value, String distinct, long at, String id) {
        return new Contribution(new BigDecimal(value).setScale(9), distinct, at, id);
    }
}
