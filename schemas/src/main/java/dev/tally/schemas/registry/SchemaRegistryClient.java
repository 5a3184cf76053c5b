package dev.tally.schemas.registry;

import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry REST API the pipeline needs. Any Confluent-compatible
 * registry (Confluent, Redpanda, Karapace, Apicurio's compatible API) or the embedded one serves it.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}) and
     * returns its global id. Registering an identical schema again returns the same id.
     *
     * @throws IncompatibleSchemaException when the registry refuses it (HTTP 409)
     * @throws SchemaRegistryException on any other failure
     */
    int register(String subject, Schema schema);

    /** The schema with this global id ({@code GET /schemas/ids/{id}}). */
    Schema schemaById(int id);

    /** The latest version under {@code subject} ({@code GET /subjects/{subject}/versions/latest}). */
    RegisteredSchema latest(String subject);

    /**
     * Whether {@code schema} is compatible with the latest version of {@code subject} under the
     * subject's compatibility level ({@code POST /compatibility/subjects/{subject}/versions/latest}).
     */
    boolean isCompatible(String subject, Schema schema);
}
