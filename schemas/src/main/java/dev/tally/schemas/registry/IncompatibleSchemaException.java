package dev.tally.schemas.registry;

/** The registry refused a schema as incompatible with the subject's earlier versions (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {

    /** The refusal, with the registry's message (which names the incompatible fields). */
    public IncompatibleSchemaException(String message) {
        super(message, 409, 409);
    }
}
