package dev.tally.platform.outbox;

import dev.tally.platform.offsets.SqlIdentifiers;
import dev.tally.schemas.topic.Topic;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The transactional outbox of one schema: records to publish are inserted in the same PostgreSQL
 * transaction as the change they announce, so an event leaves for Kafka if and only if its change
 * committed. The {@link OutboxRelay} publishes them afterwards.
 *
 * <p>Each module has the table in its own schema: {@link dev.tally.platform.database.Migrations}
 * creates it there (platform's {@code db/platform/V0_1__consumer_offsets_and_outbox.sql}).
 */
public final class Outbox {

    private final String schema;
    private final String table;

    /** The outbox table of {@code schema}. */
    public Outbox(String schema) {
        this.schema = SqlIdentifiers.schema(schema);
        this.table = schema + ".outbox";
    }

    /** The schema this outbox lives in. */
    public String schema() {
        return schema;
    }

    /**
     * Enqueues {@code value} for {@code topic}, serialized now with the topic's value serde (the
     * serde may register its schema with the registry on first use), inside the caller's
     * transaction.
     *
     * @return the outbox id, which orders publication
     */
    public <V> long enqueue(Handle handle, Topic<String, V> topic, String key, V value) {
        byte[] payload = topic.valueSerde().serializer().serialize(topic.name(), value);
        return enqueue(handle, topic.name(), key, payload);
    }

    /**
     * {@link #enqueue(Handle, Topic, String, Object)} of each of {@code records} (key, value), in their order,
     * in one batch of inserts: publication follows that order.
     */
    public <V> void enqueueAll(Handle handle, Topic<String, V> topic, List<Map.Entry<String, V>> records) {
        if (records.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch(
                "INSERT INTO " + table + " (topic, record_key, payload) VALUES (:topic, :key, :payload)");
        for (Map.Entry<String, V> record : records) {
            batch.bind("topic", topic.name())
                    .bind("key", record.getKey())
                    .bind("payload", topic.valueSerde().serializer().serialize(topic.name(), record.getValue()))
                    .add();
        }
        batch.execute();
    }

    /** Enqueues an already serialized record inside the caller's transaction. */
    public long enqueue(Handle handle, String topic, String key, byte[] payload) {
        return handle.createUpdate(
                        "INSERT INTO " + table + " (topic, record_key, payload) VALUES (:topic, :key, :payload)")
                .bind("topic", topic)
                .bind("key", key)
                .bind("payload", payload)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
    }

    /** Up to {@code limit} records not yet published, in id order. */
    public List<OutboxRecord> unpublished(Handle handle, int limit) {
        return handle.createQuery("SELECT id, topic, record_key, payload FROM " + table
                        + " WHERE published_at IS NULL ORDER BY id LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> new OutboxRecord(
                        rs.getLong("id"), rs.getString("topic"), rs.getString("record_key"), rs.getBytes("payload")))
                .list();
    }

    /** Marks {@code ids} as published now. */
    public void markPublished(Handle handle, List<Long> ids) {
        if (!ids.isEmpty()) {
            handle.createUpdate("UPDATE " + table + " SET published_at = now() WHERE id = ANY(:ids)")
                    .bindArray("ids", Long.class, ids)
                    .execute();
        }
    }
}
