package dev.tally.schemas.topic;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the pipeline: its full name (prefix included), the serdes of its keys and values, and
 * whether it is compacted (keeps the latest value per key) rather than deleted by age.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {

    /** A topic whose records expire by retention. */
    public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        this(name, keySerde, valueSerde, false);
    }
}
