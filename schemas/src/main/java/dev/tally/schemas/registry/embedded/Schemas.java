package dev.tally.schemas.registry.embedded;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/** Parsing of schema text as the registry receives it. */
final class Schemas {

    private Schemas() {}

    /**
     * Parses {@code text} as one Avro schema, default values validated.
     *
     * @throws RegistryError 422 (42201) when it is not a valid Avro schema
     */
    static Schema parse(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryError.invalidSchema("empty schema");
        }
        try {
            // a fresh parser per schema: a parser remembers named types and refuses to see them twice
            return new Schema.Parser().setValidateDefaults(true).parse(text);
        } catch (AvroRuntimeException | IllegalArgumentException | NullPointerException e) {
            // Avro 1.12 reports some invalid schemas (e.g. an unknown type name) with a bare NPE or IAE
            throw RegistryError.invalidSchema(String.valueOf(e.getMessage()));
        }
    }
}
