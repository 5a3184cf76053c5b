package dev.tally.schemas.registry.embedded;

/**
 * An error answer of the registry, in Confluent's shape: an HTTP status plus Confluent's numeric
 * {@code error_code} and a message.
 */
final class RegistryError extends RuntimeException {

    private final int status;
    private final int errorCode;

    private RegistryError(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(String subject, int version) {
        return new RegistryError(404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
    }

    static RegistryError schemaNotFound(String what) {
        return new RegistryError(404, 40403, "Schema " + what + " not found.");
    }

    static RegistryError subjectConfigNotFound(String subject) {
        return new RegistryError(
                404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static RegistryError incompatible(String subject, Iterable<String> problems) {
        return new RegistryError(
                409,
                409,
                "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                        + "\", details: " + String.join("; ", problems));
    }

    static RegistryError invalidSchema(String detail) {
        return new RegistryError(422, 42201, "Invalid schema: " + detail);
    }

    static RegistryError invalidVersion(String version) {
        return new RegistryError(
                422,
                42202,
                "The specified version '" + version + "' is not a valid version id. "
                        + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryError invalidCompatibilityLevel(String level) {
        return new RegistryError(422, 42203, "Invalid compatibility level: " + level);
    }

    static RegistryError badRequest(String detail) {
        return new RegistryError(400, 400, detail);
    }

    static RegistryError unsupportedMediaType(String contentType) {
        return new RegistryError(415, 415, "HTTP 415 Unsupported Media Type: " + contentType);
    }

    static RegistryError notFound() {
        return new RegistryError(404, 404, "HTTP 404 Not Found");
    }

    static RegistryError methodNotAllowed() {
        return new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
    }

    static RegistryError storeFailure(String detail) {
        return new RegistryError(500, 50001, "Error in the backend data store: " + detail);
    }
}
