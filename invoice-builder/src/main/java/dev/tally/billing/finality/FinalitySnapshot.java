package dev.tally.billing.finality;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Usage finality at one moment: every usage-events partition's newest watermark and its newest
 * one the ledger holds the aggregates of, and the instant through which usage is final for the
 * whole deployment, the minimum of the latter over ALL partitions. A partition that never
 * reported, or a partition count the broker could not tell, leaves it unknown: finality is never
 * guessed.
 *
 * @param finalThrough windows ending at or before it are all in the ledger; empty when unknown
 * @param partitions one entry per partition, by partition
 */
public record FinalitySnapshot(Optional<Instant> finalThrough, List<Partition> partitions) {

    /**
     * One usage-events partition.
     *
     * @param closedThrough its newest watermark received (null: it never reported)
     * @param effectiveThrough its newest watermark whose aggregates the ledger holds (null: none yet)
     */
    public record Partition(int partition, @Nullable Instant closedThrough, @Nullable Instant effectiveThrough) {

        /** Whether the ledger holds everything the partition's newest watermark covers. */
        public boolean effective() {
            return closedThrough != null && closedThrough.equals(effectiveThrough);
        }
    }

    /**
     * The snapshot of {@code count} partitions (empty: unknown) from what they reported. A partition
     * past the count (the count is older than the topic) is counted too.
     */
    static FinalitySnapshot of(OptionalInt count, List<FinalityDao.Reported> reported) {
        Map<Integer, Partition> byPartition = new TreeMap<>();
        for (int partition = 0; partition < count.orElse(0); partition++) {
            byPartition.put(partition, new Partition(partition, null, null));
        }
        for (FinalityDao.Reported r : reported) {
            byPartition.put(r.partition(), new Partition(r.partition(), r.latest(), r.effective()));
        }
        List<Partition> partitions = new ArrayList<>(byPartition.values());
        boolean allEffective = count.isPresent()
                && !partitions.isEmpty()
                && partitions.stream().allMatch(p -> p.effectiveThrough() != null);
        Optional<Instant> finalThrough = allEffective
                ? partitions.stream().map(Partition::effectiveThrough).min(Comparator.naturalOrder())
                : Optional.empty();
        return new FinalitySnapshot(finalThrough, List.copyOf(partitions));
    }
}
