package dev.tally.platform.outbox;

/**
 * One record waiting in the outbox: the topic's name, the record key and the value already
 * serialized by the topic's serde.
 */
public record OutboxRecord(long id, String topic, String key, byte[] payload) {}
