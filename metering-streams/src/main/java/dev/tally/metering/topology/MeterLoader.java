package dev.tally.metering.topology;

import dev.tally.schemas.avro.MeterDefinition;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global meters store equal to the latest state per meter key on the meters topic.
 * Archived meters are kept as they are (the reader treats them as absent), so restoring the store
 * straight from the topic gives the same answers as replaying it through here.
 */
final class MeterLoader implements Processor<String, MeterDefinition, Void, Void> {

    private KeyValueStore<String, MeterDefinition> meters;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        meters = context.getStateStore(MeteringTopology.METERS_STORE);
    }

    @Override
    public void process(Record<String, MeterDefinition> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            meters.delete(record.key());
        } else {
            meters.put(record.key(), record.value());
        }
    }
}
