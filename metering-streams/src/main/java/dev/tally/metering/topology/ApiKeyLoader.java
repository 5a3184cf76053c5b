package dev.tally.metering.topology;

import dev.tally.schemas.avro.ApiKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global API-key store equal to the latest state per key hash on api-keys. */
final class ApiKeyLoader implements Processor<String, ApiKeyRecord, Void, Void> {

    private KeyValueStore<String, ApiKeyRecord> keys;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        keys = context.getStateStore(MeteringTopology.API_KEYS_STORE);
    }

    @Override
    public void process(Record<String, ApiKeyRecord> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            keys.delete(record.key());
        } else {
            keys.put(record.key(), record.value());
        }
    }
}
