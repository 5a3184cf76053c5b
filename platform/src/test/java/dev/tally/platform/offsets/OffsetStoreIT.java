package dev.tally.platform.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OffsetStoreIT {

    private static final String GROUP = "g";
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final OffsetStore store = new OffsetStore("app");
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        jdbi = OffsetsTestSupport.database();
    }

    private Map<TopicPartition, Long> positions() {
        return jdbi.withHandle(handle -> store.positions(handle, GROUP, List.of(P0, P1)));
    }

    @Test
    void shouldReturnNoPositionForPartitionsNeverRecorded() {
        assertThat(positions()).isEmpty();
    }

    @Test
    void shouldStoreNextOffsetsWhenTheTransactionCommits() {
        jdbi.useTransaction(handle -> store.record(handle, GROUP, P0, 0, 10));
        jdbi.useTransaction(handle -> store.record(handle, GROUP, P0, 12, 20));

        assertThat(positions()).containsExactly(Map.entry(P0, 20L));
    }

    @Test
    void shouldLeaveOffsetsUnchangedWhenTheTransactionRollsBack() {
        jdbi.useTransaction(handle -> store.record(handle, GROUP, P0, 0, 5));

        assertThatThrownBy(() -> jdbi.useTransaction(handle -> {
                    store.record(handle, GROUP, P0, 5, 9);
                    store.record(handle, GROUP, P1, 0, 3);
                    throw new IllegalStateException("the batch's handler failed");
                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(positions()).containsExactly(Map.entry(P0, 5L));
    }

    @Test
    void shouldRefuseABatchAlreadyRecordedByAnotherConsumer() {
        jdbi.useTransaction(handle -> store.record(handle, GROUP, P0, 0, 10));

        assertThatThrownBy(() -> jdbi.useTransaction(handle -> store.record(handle, GROUP, P0, 4, 10)))
                .isInstanceOf(StaleOffsetsException.class);
        assertThat(positions()).containsExactly(Map.entry(P0, 10L));
    }

    @Test
    void shouldKeepGroupsApart() {
        jdbi.useTransaction(handle -> store.record(handle, "other", P0, 0, 7));

        assertThat(positions()).isEmpty();
    }

    @Test
    void shouldRefuseSchemaNamesThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> new OffsetStore("app; DROP TABLE x")).isInstanceOf(IllegalArgumentException.class);
    }
}
