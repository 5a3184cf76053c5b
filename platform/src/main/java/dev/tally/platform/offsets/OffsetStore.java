package dev.tally.platform.offsets;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Handle;

/**
 * Consumed Kafka offsets kept in PostgreSQL, in the same transaction as the rows the consumed
 * records produced: either both commit or neither does, so a crash at any point neither loses nor
 * repeats a record. Kafka's own group offsets are never committed nor read; at start-up and after
 * every rebalance the consumer seeks to {@link #positions}.
 *
 * <p>Each module has the table in its own schema: {@link dev.tally.platform.database.Migrations}
 * creates it there (platform's {@code db/platform/V0_1__consumer_offsets_and_outbox.sql}).
 *
 * <p>Recording is guarded: the stored position of a partition only moves forward from a position
 * at or before the batch's first offset. A consumer that lost its partitions in a rebalance but
 * still finishes a batch (a zombie) therefore fails with {@link StaleOffsetsException} instead of
 * applying records the new owner already applied.
 */
public final class OffsetStore {

    private final String table;

    /** The store of the {@code consumer_offsets} table in {@code schema}. */
    public OffsetStore(String schema) {
        this.table = SqlIdentifiers.schema(schema) + ".consumer_offsets";
    }

    /**
     * The stored next offsets of {@code partitions} for {@code group}; partitions never recorded
     * are absent (the caller starts them from the beginning).
     */
    public Map<TopicPartition, Long> positions(Handle handle, String group, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        if (partitions.isEmpty()) {
            return positions;
        }
        handle.createQuery("SELECT topic, partition, next_offset FROM " + table + " WHERE consumer_group = :group")
                .bind("group", group)
                .map((rs, ctx) -> Map.entry(
                        new TopicPartition(rs.getString("topic"), rs.getInt("partition")), rs.getLong("next_offset")))
                .forEach(entry -> {
                    if (partitions.contains(entry.getKey())) {
                        positions.put(entry.getKey(), entry.getValue());
                    }
                });
        return positions;
    }

    /**
     * Records, inside the caller's transaction, that every record of {@code batch} was consumed:
     * each partition's next offset becomes its last record's offset + 1.
     *
     * @throws StaleOffsetsException if another consumer already recorded a position past the batch
     */
    public void record(Handle handle, String group, ConsumerRecords<?, ?> batch) {
        for (TopicPartition partition : batch.partitions()) {
            List<? extends ConsumerRecord<?, ?>> records = batch.records(partition);
            if (!records.isEmpty()) {
                record(
                        handle,
                        group,
                        partition,
                        records.getFirst().offset(),
                        records.getLast().offset() + 1);
            }
        }
    }

    /**
     * Records, inside the caller's transaction, that {@code partition} was consumed from
     * {@code firstOffset} up to (excluding) {@code nextOffset}.
     *
     * @throws StaleOffsetsException if the stored position is already past {@code firstOffset}
     */
    public void record(Handle handle, String group, TopicPartition partition, long firstOffset, long nextOffset) {
        if (nextOffset <= firstOffset) {
            throw new IllegalArgumentException("next offset " + nextOffset + " not after first offset " + firstOffset);
        }
        int changed = handle.createUpdate("INSERT INTO " + table
                        + " AS o (consumer_group, topic, partition, next_offset) VALUES (:group, :topic, :partition, :next)"
                        + " ON CONFLICT (consumer_group, topic, partition) DO UPDATE"
                        + " SET next_offset = excluded.next_offset, updated_at = now()"
                        + " WHERE o.next_offset <= :first")
                .bind("group", group)
                .bind("topic", partition.topic())
                .bind("partition", partition.partition())
                .bind("next", nextOffset)
                .bind("first", firstOffset)
                .execute();
        if (changed != 1) {
            throw new StaleOffsetsException(group, partition, firstOffset);
        }
    }
}
