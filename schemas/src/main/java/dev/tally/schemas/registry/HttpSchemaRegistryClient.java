package dev.tally.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Speaks the Confluent Schema Registry REST API over HTTP. Ids and schemas are immutable once
 * assigned, so both directions are cached for the life of the client: after warm-up, serdes make no
 * HTTP call on the hot path.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI baseUrl;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    /**
     * A client of the registry at {@code baseUrl} (e.g. {@code http://localhost:8081}; a path
     * prefix, as some hosted registries use, is kept).
     */
    public HttpSchemaRegistryClient(URI baseUrl) {
        String url = baseUrl.toString();
        this.baseUrl = URI.create(url.endsWith("/") ? url : url + "/");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            JsonNode answer = send("POST", "subjects/" + encode(subject) + "/versions", schemaBody(schema));
            if (!answer.path("id").canConvertToInt()) {
                throw new SchemaRegistryException(
                        "schema registry answered a registration under " + subject + " without an id: " + answer,
                        200,
                        0);
            }
            int id = answer.path("id").asInt();
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, key -> {
            JsonNode answer = send("GET", "schemas/ids/" + key, null);
            return new Schema.Parser().parse(answer.path("schema").asText());
        });
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode answer = send("GET", "subjects/" + encode(subject) + "/versions/latest", null);
        Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
        return new RegisteredSchema(
                answer.path("subject").asText(subject),
                answer.path("version").asInt(),
                answer.path("id").asInt(),
                schema);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        JsonNode answer =
                send("POST", "compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
        return answer.path("is_compatible").asBoolean(false);
    }

    private String schemaBody(Schema schema) {
        ObjectNode body = json.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(TIMEOUT).header("Accept", CONTENT_TYPE);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling the schema registry", e);
        }
        JsonNode answer = parse(response.body());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return answer;
        }
        String message = "schema registry " + method + " /" + path + " answered " + status + ": "
                + answer.path("message").asText(response.body());
        if (status == 409) {
            throw new IncompatibleSchemaException(message);
        }
        throw new SchemaRegistryException(
                message, status, answer.path("error_code").asInt(status));
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            return json.createObjectNode().put("message", body);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
