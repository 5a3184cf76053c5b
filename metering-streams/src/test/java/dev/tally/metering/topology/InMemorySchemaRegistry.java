package dev.tally.metering.topology;

import dev.tally.schemas.registry.RegisteredSchema;
import dev.tally.schemas.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** A registry in memory for topology tests: global ids per distinct schema, nothing else. */
final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final List<Schema> byId = new ArrayList<>();
    private final Map<String, RegisteredSchema> latest = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        int index = byId.indexOf(schema);
        if (index < 0) {
            byId.add(schema);
            index = byId.size() - 1;
        }
        latest.put(subject, new RegisteredSchema(subject, 1, index + 1, schema));
        return index + 1;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        if (id < 1 || id > byId.size()) {
            throw new IllegalArgumentException("no schema with id " + id);
        }
        return byId.get(id - 1);
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        return latest.get(subject);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }
}
