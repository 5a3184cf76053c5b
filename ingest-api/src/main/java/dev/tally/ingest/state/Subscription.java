package dev.tally.ingest.state;

import dev.tally.schemas.topic.Topic;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One compacted topic read into memory: its records are decoded with the topic's own serdes and
 * each key's latest value handed to {@code apply} (null for a tombstone).
 *
 * @param <V> the topic's value type
 */
public final class Subscription<V> {

    private final String topic;
    private final Deserializer<String> keys;
    private final Deserializer<V> values;
    private final BiConsumer<String, V> apply;

    private Subscription(Topic<String, V> topic, BiConsumer<String, V> apply) {
        this.topic = topic.name();
        this.keys = topic.keySerde().deserializer();
        this.values = topic.valueSerde().deserializer();
        this.apply = apply;
    }

    /** Applies every record of {@code topic} to {@code apply}. */
    public static <V> Subscription<V> of(Topic<String, V> topic, BiConsumer<String, V> apply) {
        return new Subscription<>(topic, apply);
    }

    /** The topic's full name. */
    public String topic() {
        return topic;
    }

    /**
     * Decodes and applies one record.
     *
     * @throws org.apache.kafka.common.errors.SerializationException when it cannot be decoded
     */
    void apply(byte[] key, byte[] value) {
        String decodedKey = keys.deserialize(topic, key);
        V decodedValue = value == null ? null : values.deserialize(topic, value);
        apply.accept(decodedKey, decodedValue);
    }
}
