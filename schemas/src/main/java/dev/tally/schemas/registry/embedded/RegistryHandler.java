package dev.tally.schemas.registry.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the Confluent Schema Registry REST subset to the {@link SchemaStore} and answers in
 * Confluent's JSON shapes and error codes.
 */
final class RegistryHandler implements HttpHandler {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Set<String> ACCEPTED_BODY_TYPES =
            Set.of(CONTENT_TYPE, "application/vnd.schemaregistry+json", "application/json", "application/octet-stream");
    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    private static final List<String[]> ROUTES = List.of(
            new String[] {"subjects"},
            new String[] {"subjects", "*"},
            new String[] {"subjects", "*", "versions"},
            new String[] {"subjects", "*", "versions", "*"},
            new String[] {"schemas", "ids", "*"},
            new String[] {"compatibility", "subjects", "*", "versions"},
            new String[] {"compatibility", "subjects", "*", "versions", "*"},
            new String[] {"config"},
            new String[] {"config", "*"});
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);

    private final SchemaStore store;
    private final ObjectMapper json = new ObjectMapper();

    RegistryHandler(SchemaStore store) {
        this.store = store;
    }

    /** A parsed request: method, decoded path segments, query and body. */
    private record Request(String method, List<String> path, String query, HttpExchange exchange) {

        String segment(int i) {
            return path.get(i);
        }

        boolean is(String expectedMethod, String... shape) {
            return expectedMethod.equals(method) && hasShape(shape);
        }

        /** Whether the path has this shape, {@code *} matching any one segment. */
        boolean hasShape(String... shape) {
            if (path.size() != shape.length) {
                return false;
            }
            for (int i = 0; i < shape.length; i++) {
                if (!shape[i].equals("*") && !shape[i].equals(path.get(i))) {
                    return false;
                }
            }
            return true;
        }

        boolean flag(String name) {
            return query != null && List.of(query.split("&")).contains(name + "=true");
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = new Request(
                    exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                    segments(exchange.getRequestURI().getRawPath()),
                    exchange.getRequestURI().getRawQuery(),
                    exchange);
            JsonNode answer;
            int status = 200;
            try {
                answer = route(request);
            } catch (RegistryError e) {
                status = e.status();
                answer =
                        json.createObjectNode().put("error_code", e.errorCode()).put("message", e.getMessage());
            } catch (UncheckedIOException e) {
                LOG.error("schema registry journal failed", e);
                RegistryError error = RegistryError.storeFailure(e.getMessage());
                status = error.status();
                answer = json.createObjectNode()
                        .put("error_code", error.errorCode())
                        .put("message", error.getMessage());
            } catch (RuntimeException e) {
                // the server boundary: answer a bug with a 500 in the usual shape, not a dropped connection
                LOG.error("schema registry failed on {} {}", request.method(), exchange.getRequestURI(), e);
                status = 500;
                answer = json.createObjectNode().put("error_code", 500).put("message", "Internal Server Error");
            }
            byte[] body = json.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private JsonNode route(Request r) {
        if (r.path().isEmpty()) {
            // Confluent answers the root with an empty object: a cheap liveness probe
            if (r.is("GET")) {
                return json.createObjectNode();
            }
            throw RegistryError.methodNotAllowed();
        }
        return switch (r.segment(0)) {
            case "subjects" -> subjects(r);
            case "schemas" -> schemas(r);
            case "compatibility" -> compatibility(r);
            case "config" -> config(r);
            default -> throw RegistryError.notFound();
        };
    }

    private JsonNode subjects(Request r) {
        if (r.is("GET", "subjects")) {
            ArrayNode names = json.createArrayNode();
            store.subjects().forEach(names::add);
            return names;
        }
        if (r.is("POST", "subjects", "*", "versions")) {
            SchemaStore.Version version = store.register(r.segment(1), schemaOf(r));
            return json.createObjectNode().put("id", version.id());
        }
        if (r.is("GET", "subjects", "*", "versions")) {
            ArrayNode numbers = json.createArrayNode();
            existingVersions(r.segment(1)).forEach(v -> numbers.add(v.version()));
            return numbers;
        }
        if (r.is("GET", "subjects", "*", "versions", "*")) {
            return describe(version(r.segment(1), r.segment(3)));
        }
        if (r.is("POST", "subjects", "*")) {
            String subject = r.segment(1);
            Schema schema = schemaOf(r);
            existingVersions(subject); // 40401 before 40403, as Confluent answers
            return describe(store.find(subject, schema)
                    .orElseThrow(() -> RegistryError.schemaNotFound("under subject '" + subject + "'")));
        }
        throw unmatched(r);
    }

    private JsonNode schemas(Request r) {
        if (r.is("GET", "schemas", "ids", "*")) {
            String id = r.segment(2);
            Schema schema = parseId(id).flatMap(store::schemaById).orElseThrow(() -> RegistryError.schemaNotFound(id));
            return json.createObjectNode().put("schema", schema.toString());
        }
        throw unmatched(r);
    }

    private JsonNode compatibility(Request r) {
        List<String> problems;
        if (r.is("POST", "compatibility", "subjects", "*", "versions", "*")) {
            problems = problemsAgainstVersion(r.segment(2), r.segment(4), schemaOf(r));
        } else if (r.is("POST", "compatibility", "subjects", "*", "versions")) {
            problems = problemsAgainstEveryVersion(r.segment(2), schemaOf(r));
        } else {
            throw unmatched(r);
        }
        ObjectNode answer = json.createObjectNode().put("is_compatible", problems.isEmpty());
        if (r.flag("verbose")) {
            ArrayNode messages = answer.putArray("messages");
            problems.forEach(messages::add);
        }
        return answer;
    }

    /** "latest" checks as a registration would (every version under transitive levels). */
    private List<String> problemsAgainstVersion(String subject, String version, Schema candidate) {
        CompatibilityLevel level = store.levelFor(subject);
        if (!"latest".equals(version)) {
            return level.problems(candidate, List.of(version(subject, version).schema()));
        }
        // like Confluent since 5.5: with nothing registered yet there is nothing to be incompatible with
        return level.problems(candidate, schemasOf(store.versions(subject)));
    }

    private List<String> problemsAgainstEveryVersion(String subject, Schema candidate) {
        CompatibilityLevel level = store.levelFor(subject);
        List<String> problems = new ArrayList<>();
        for (Schema earlier : schemasOf(store.versions(subject))) {
            problems.addAll(level.problems(candidate, List.of(earlier)));
        }
        return problems;
    }

    private JsonNode config(Request r) {
        if (r.is("GET", "config")) {
            return level(store.globalLevel());
        }
        if (r.is("PUT", "config")) {
            CompatibilityLevel level = levelOf(r);
            store.setLevel(null, level);
            return json.createObjectNode().put("compatibility", level.name());
        }
        if (r.is("GET", "config", "*")) {
            String subject = r.segment(1);
            CompatibilityLevel level = store.subjectLevel(subject).orElseGet(() -> {
                if (r.flag("defaultToGlobal")) {
                    return store.globalLevel();
                }
                throw RegistryError.subjectConfigNotFound(subject);
            });
            return level(level);
        }
        if (r.is("PUT", "config", "*")) {
            CompatibilityLevel level = levelOf(r);
            store.setLevel(r.segment(1), level);
            return json.createObjectNode().put("compatibility", level.name());
        }
        throw unmatched(r);
    }

    private ObjectNode level(CompatibilityLevel level) {
        return json.createObjectNode().put("compatibilityLevel", level.name());
    }

    private ObjectNode describe(SchemaStore.Version version) {
        return json.createObjectNode()
                .put("subject", version.subject())
                .put("version", version.version())
                .put("id", version.id())
                .put("schema", version.schemaText());
    }

    private List<SchemaStore.Version> existingVersions(String subject) {
        List<SchemaStore.Version> versions = store.versions(subject);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions;
    }

    private SchemaStore.Version version(String subject, String version) {
        List<SchemaStore.Version> versions = existingVersions(subject);
        if ("latest".equals(version) || "-1".equals(version)) {
            return versions.getLast();
        }
        int number = parseId(version).orElseThrow(() -> RegistryError.invalidVersion(version));
        return versions.stream()
                .filter(v -> v.version() == number)
                .findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(subject, number));
    }

    private static List<Schema> schemasOf(List<SchemaStore.Version> versions) {
        return versions.stream().map(SchemaStore.Version::schema).toList();
    }

    private static Optional<Integer> parseId(String text) {
        try {
            int value = Integer.parseInt(text);
            return value > 0 ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Schema schemaOf(Request r) {
        JsonNode body = body(r);
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw RegistryError.invalidSchema("only AVRO schemas are supported, not " + type);
        }
        if (body.path("references").size() > 0) {
            throw RegistryError.invalidSchema("schema references are not supported");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw RegistryError.invalidSchema("the body needs a \"schema\" string");
        }
        return Schemas.parse(schema.asText());
    }

    private CompatibilityLevel levelOf(Request r) {
        String name = body(r).path("compatibility").asText(null);
        return CompatibilityLevel.parse(name).orElseThrow(() -> RegistryError.invalidCompatibilityLevel(name));
    }

    private JsonNode body(Request r) {
        String contentType = r.exchange().getRequestHeaders().getFirst("Content-Type");
        String mediaType =
                contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!ACCEPTED_BODY_TYPES.contains(mediaType)) {
            throw RegistryError.unsupportedMediaType(contentType);
        }
        JsonNode body;
        try (InputStream in = r.exchange().getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw RegistryError.badRequest("request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            body = json.readTree(bytes);
        } catch (IOException e) {
            throw RegistryError.badRequest("malformed JSON body: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            throw RegistryError.badRequest("the body must be a JSON object");
        }
        return body;
    }

    /** 405 for a path the registry serves with another method, else 404. */
    private static RegistryError unmatched(Request r) {
        return ROUTES.stream().anyMatch(r::hasShape) ? RegistryError.methodNotAllowed() : RegistryError.notFound();
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                // a '+' in a path is a plus, not a space: only percent escapes are decoded
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }
}
