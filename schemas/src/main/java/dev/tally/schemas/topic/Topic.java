package dev.tally.schemas.topic;

import org.apache.kafka.common.serialization.Serde;

/** A topic of the pipeline: its full name (prefix included) and the serdes of its keys and values. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
