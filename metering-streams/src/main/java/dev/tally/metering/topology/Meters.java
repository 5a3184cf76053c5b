package dev.tally.metering.topology;

import dev.tally.schemas.avro.MeterDefinition;
import dev.tally.schemas.topic.Keys;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The meters of every organization, as the global meters store holds them: the definition a new
 * window of a series is metered with. Read at each window's opening, so a meter created, changed
 * or archived applies to the next window without a restart.
 */
final class Meters {

    private final KeyValueStore<String, MeterDefinition> store;

    Meters(KeyValueStore<String, MeterDefinition> store) {
        this.store = store;
    }

    /** The active meter's definition for the series' feature, or SUM over quantity without one. */
    Definition definitionOf(Series series) {
        MeterDefinition meter = store.get(Keys.meter(series.organizationId(), series.livemode(), series.feature()));
        if (meter == null || meter.getArchivedAt() != null) {
            return Definition.UNMETERED;
        }
        return new Definition(meter.getAggregation(), meter.getValueProperty());
    }
}
