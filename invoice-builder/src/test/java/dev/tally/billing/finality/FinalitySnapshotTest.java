package dev.tally.billing.finality;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FinalitySnapshotTest {

    private static final Instant T10 = Instant.parse("2026-11-02T10:00:00Z");
    private static final Instant T11 = T10.plusSeconds(3600);
    private static final Instant T12 = T11.plusSeconds(3600);

    @Test
    void shouldBeFinalThroughTheEarliestEffectiveWatermarkOfAllPartitions() {
        FinalitySnapshot snapshot = FinalitySnapshot.of(
                OptionalInt.of(2),
                List.of(new FinalityDao.Reported(0, T12, T11), new FinalityDao.Reported(1, T10, T10)));

        assertThat(snapshot.finalThrough()).contains(T10);
        assertThat(snapshot.partitions())
                .extracting(FinalitySnapshot.Partition::effective)
                .containsExactly(false, true);
    }

    @Test
    void shouldBeUnknownWhileAPartitionHasNoEffectiveWatermark() {
        FinalitySnapshot reportedOnly = FinalitySnapshot.of(
                OptionalInt.of(2),
                List.of(new FinalityDao.Reported(0, T11, T11), new FinalityDao.Reported(1, T11, null)));
        FinalitySnapshot silent =
                FinalitySnapshot.of(OptionalInt.of(2), List.of(new FinalityDao.Reported(0, T11, T11)));

        assertThat(reportedOnly.finalThrough()).isEmpty();
        assertThat(silent.finalThrough()).isEmpty();
        assertThat(silent.partitions())
                .containsExactly(
                        new FinalitySnapshot.Partition(0, T11, T11), new FinalitySnapshot.Partition(1, null, null));
    }

    @Test
    void shouldBeUnknownWhenThePartitionCountIsUnknown() {
        FinalitySnapshot snapshot =
                FinalitySnapshot.of(OptionalInt.empty(), List.of(new FinalityDao.Reported(0, T11, T11)));

        assertThat(snapshot.finalThrough()).isEmpty();
    }

    @Test
    void shouldCountAPartitionPastAStaleCount() {
        FinalitySnapshot snapshot = FinalitySnapshot.of(
                OptionalInt.of(1),
                List.of(new FinalityDao.Reported(0, T12, T12), new FinalityDao.Reported(1, T10, T10)));

        assertThat(snapshot.finalThrough()).contains(T10);
    }
}
