package dev.tally.platform.offsets;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jdbi.v3.core.Handle;

/**
 * Applies one polled batch to PostgreSQL through {@code handle}, whose transaction also records
 * the batch's offsets. Throwing rolls both back; the batch is then read again.
 */
@FunctionalInterface
public interface BatchHandler<K, V> {

    /** Writes what {@code batch} produces, using only {@code handle}. */
    void handle(Handle handle, ConsumerRecords<K, V> batch);
}
