package dev.tally.platform.offsets;

import org.apache.kafka.common.TopicPartition;

/**
 * Thrown when a batch's offsets cannot be recorded because the stored position is already past
 * the batch: another consumer (a zombie after a rebalance, or a second instance) committed those
 * records first. The caller's transaction must roll back so the batch is not applied twice.
 */
public final class StaleOffsetsException extends RuntimeException {

    private final TopicPartition partition;

    public StaleOffsetsException(String group, TopicPartition partition, long firstOffset) {
        super("consumer group " + group + " already recorded " + partition + " past offset " + firstOffset);
        this.partition = partition;
    }

    /** The partition whose stored position was ahead of the batch. */
    public TopicPartition partition() {
        return partition;
    }
}
