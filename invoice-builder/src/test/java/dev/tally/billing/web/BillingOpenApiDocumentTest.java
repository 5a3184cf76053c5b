package dev.tally.billing.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ErrorCode;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the hand-written billing OpenAPI document true to the code: the routes of every
 * {@code @Controller} of invoice-builder (found on its compiled classes, so a new controller or
 * route fails this test until it is documented), the query parameters each route reads, and the
 * error codes of {@link ErrorCode}.
 */
class BillingOpenApiDocumentTest {

    private static final String BILLING_PACKAGE = "dev.tally.billing";

    /** The HTTP method annotations and how to read their URI ({@code @Get("/x")} or {@code @Get(uri = "/x")}). */
    private static final Map<Class<? extends Annotation>, Function<Annotation, List<String>>> METHODS = Map.of(
            Get.class, a -> uris(((Get) a).value(), ((Get) a).uri(), ((Get) a).uris()),
            Post.class, a -> uris(((Post) a).value(), ((Post) a).uri(), ((Post) a).uris()),
            Patch.class, a -> uris(((Patch) a).value(), ((Patch) a).uri(), ((Patch) a).uris()),
            Put.class, a -> uris(((Put) a).value(), ((Put) a).uri(), ((Put) a).uris()),
            Delete.class, a -> uris(((Delete) a).value(), ((Delete) a).uri(), ((Delete) a).uris()));

    private static JsonNode document;
    private static Map<String, Method> routes;

    @BeforeAll
    static void readTheDocumentAndTheControllers() throws IOException, URISyntaxException {
        try (InputStream in = BillingOpenApiController.class.getResourceAsStream(BillingOpenApiController.RESOURCE)) {
            document = ObjectMapper.getDefault().readValue(in.readAllBytes(), JsonNode.class);
        }
        routes = new HashMap<>();
        for (Class<?> controller : controllers()) {
            String base = controller.getAnnotation(Controller.class).value();
            for (Method method : controller.getDeclaredMethods()) {
                METHODS.forEach((type, uris) -> {
                    Annotation mapping = method.getAnnotation(type);
                    if (mapping != null) {
                        for (String uri : uris.apply(mapping)) {
                            String verb = type.getSimpleName().toLowerCase(Locale.ROOT);
                            routes.put(verb + " " + join(base, uri), method);
                        }
                    }
                });
            }
        }
    }

    @Test
    void shouldDocumentExactlyTheRoutesOfEveryController() {
        assertThat(routes).as("routes found").containsKey("get /v1/customers");

        assertThat(new TreeSet<>(documented().keySet())).isEqualTo(new TreeSet<>(routes.keySet()));
    }

    @Test
    void shouldDocumentExactlyTheQueryParametersEachRouteReads() {
        documented().forEach((route, operation) -> {
            Method method = routes.get(route);
            if (method == null) {
                return; // reported by the route test
            }
            Set<String> read = queryParameters(method.getParameters());
            Set<String> described = new TreeSet<>();
            JsonNode parameters = operation.get("parameters");
            if (parameters != null) {
                parameters.values().forEach(p -> {
                    JsonNode resolved = resolve(p);
                    if (resolved.get("in").getStringValue().equals("query")) {
                        described.add(resolved.get("name").getStringValue());
                    }
                });
            }
            assertThat(described).as("query parameters of %s", route).isEqualTo(read);
        });
    }

    /** The query parameters of a route's parameters: its own, and those of a {@code @RequestBean} record's components. */
    private static Set<String> queryParameters(Parameter[] parameters) {
        Set<String> read = new TreeSet<>();
        for (Parameter parameter : parameters) {
            QueryValue query = parameter.getAnnotation(QueryValue.class);
            if (query != null) {
                read.add(query.value().isEmpty() ? parameter.getName() : query.value());
            }
            if (parameter.isAnnotationPresent(RequestBean.class)) {
                Class<?> bean = parameter.getType();
                Class<?>[] components = Arrays.stream(bean.getRecordComponents())
                        .map(RecordComponent::getType)
                        .toArray(Class<?>[]::new);
                try {
                    read.addAll(queryParameters(
                            bean.getDeclaredConstructor(components).getParameters()));
                } catch (NoSuchMethodException e) {
                    throw new AssertionError(bean + " is not a record", e);
                }
            }
        }
        return read;
    }

    @Test
    void shouldNameOnlyErrorCodesThatExistWithTheStatusOfTheirResponse() {
        Map<String, Integer> statuses = new HashMap<>();
        Arrays.stream(ErrorCode.values()).forEach(code -> statuses.put(code.code(), code.status()));

        documented().forEach((route, operation) -> {
            for (Map.Entry<String, JsonNode> response :
                    operation.get("responses").entries()) {
                int status = Integer.parseInt(response.getKey());
                JsonNode codes = response.getValue().get("x-error-codes");
                if (status < 400) {
                    assertThat(codes).as("error codes on %s %s", route, status).isNull();
                    continue;
                }
                assertThat(codes).as("x-error-codes of %s %s", route, status).isNotNull();
                assertThat(codes.size())
                        .as("x-error-codes of %s %s", route, status)
                        .isPositive();
                codes.values().forEach(code -> assertThat(statuses.get(code.getStringValue()))
                        .as("status of %s on %s", code.getStringValue(), route)
                        .isEqualTo(status));
            }
        });
    }

    @Test
    void shouldListEveryErrorCode() {
        List<String> documented = new ArrayList<>();
        document.get("components")
                .get("schemas")
                .get("ErrorCode")
                .get("enum")
                .values()
                .forEach(code -> documented.add(code.getStringValue()));

        assertThat(documented)
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
    }

    @Test
    void shouldResolveEveryReference() {
        Set<String> references = new HashSet<>();
        collectReferences(document, references);

        assertThat(references).isNotEmpty();
        references.forEach(reference -> assertThat(at(reference)).as(reference).isNotNull());
    }

    @Test
    void shouldServeTheDocumentWhereItSaysToAnyone() throws NoSuchMethodException {
        Get get = BillingOpenApiController.class.getMethod("document").getAnnotation(Get.class);

        assertThat(get.uri()).isEqualTo("/v1/billing/openapi.json");
        assertThat(documented()
                        .get("get /v1/billing/openapi.json")
                        .get("security")
                        .size())
                .isZero();
    }

    /** Every documented operation by "method path". */
    private static Map<String, JsonNode> documented() {
        Map<String, JsonNode> operations = new HashMap<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").entries()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().entries()) {
                operations.put(operation.getKey() + " " + path.getKey(), operation.getValue());
            }
        }
        return operations;
    }

    /** The classes of invoice-builder annotated {@code @Controller}, from its compiled classes. */
    private static List<Class<?>> controllers() throws URISyntaxException, IOException {
        Path classes = Path.of(BillingOpenApiController.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Class<?>> controllers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file)
                        .toString()
                        .replace(file.getFileSystem().getSeparator(), ".");
                name = name.substring(0, name.length() - ".class".length());
                // nested and Micronaut's generated classes ($Definition, $Intercepted) carry a '$'
                if (name.startsWith(BILLING_PACKAGE) && !name.contains("$")) {
                    Class<?> type = load(name);
                    if (type.isAnnotationPresent(Controller.class)) {
                        controllers.add(type);
                    }
                }
            }
        }
        return controllers;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, BillingOpenApiDocumentTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URIs of a mapping: {@code uris} when given (its default is {@code {"/"}}), else {@code value} or {@code uri} (whichever is not the default). */
    private static List<String> uris(String value, String uri, String[] uris) {
        if (uris.length > 1 || (uris.length == 1 && !uris[0].equals("/"))) {
            return List.of(uris);
        }
        return List.of(value.equals("/") ? uri : value);
    }

    private static String join(String base, String uri) {
        String head = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return uri.equals("/") ? (head.isEmpty() ? "/" : head) : head + uri;
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode reference = node.get("$ref");
        return reference == null ? node : at(reference.getStringValue());
    }

    /** The node a local reference ({@code #/components/...}) names, or null. */
    private static JsonNode at(String reference) {
        JsonNode node = document;
        for (String segment : reference.substring(2).split("/")) {
            node = node == null ? null : node.get(segment.replace("~1", "/").replace("~0", "~"));
        }
        return node;
    }

    private static void collectReferences(JsonNode node, Set<String> references) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.entries()) {
                if (member.getKey().equals("$ref")) {
                    references.add(member.getValue().getStringValue());
                } else {
                    collectReferences(member.getValue(), references);
                }
            }
        } else if (node.isArray()) {
            node.values().forEach(value -> collectReferences(value, references));
        }
    }
}
