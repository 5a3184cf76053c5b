package dev.tally.metering.health;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Tells of every step of a state restoration, so that a client that restores for a long time is
 * not taken for one that stalled (a large restore keeps the client REBALANCING, and so not ready,
 * for as long as it takes).
 */
public final class RestoreProgress implements StateRestoreListener {

    private final Runnable progressed;

    public RestoreProgress(Runnable progressed) {
        this.progressed = progressed;
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        progressed.run();
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        progressed.run();
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        progressed.run();
    }
}
