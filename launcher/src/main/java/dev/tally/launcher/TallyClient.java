package dev.tally.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * A small client of the pipeline's public HTTP API, as an app or a finance tool would use it.
 * Every call checks the status it expects and otherwise fails with the server's error body.
 */
final class TallyClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUrl;
    private final String bearer;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    TallyClient(URI baseUrl, String bearer) {
        this.baseUrl = baseUrl;
        this.bearer = bearer;
    }

    /** The same server, authenticated with another key or token. */
    TallyClient as(String otherBearer) {
        return new TallyClient(baseUrl, otherBearer);
    }

    // -- admin (admin token) --

    JsonNode createOrganization(String name) {
        return post("/v1/organizations", object().put("name", name), 201);
    }

    /** A new key of {@code organizationId}; the answer's {@code key} is the only time the key is shown. */
    JsonNode createApiKey(String organizationId, boolean livemode) {
        return post("/v1/organizations/" + organizationId + "/api-keys", object().put("livemode", livemode), 201);
    }

    /** Sets the organization's unknown-feature policy: {@code accept_as_sum} or {@code reject}. */
    JsonNode setUnknownFeaturePolicy(String organizationId, String policy) {
        return send(
                request("/v1/organizations/" + organizationId)
                        .method("PATCH", publish(object().put("unknownFeature", policy))),
                200);
    }

    // -- catalog (key with billing:write) --

    /** A meter: {@code aggregation} sum|count|min|max|latest|unique_count; {@code valueProperty} may be null. */
    JsonNode createMeter(String feature, String aggregation, String valueProperty) {
        ObjectNode body = object().put("feature", feature).put("aggregation", aggregation);
        if (valueProperty != null) {
            body.put("valueProperty", valueProperty);
        }
        return post("/v1/meters", body, 201);
    }

    JsonNode createCustomer(String externalId, String name) {
        return post("/v1/customers", object().put("externalId", externalId).put("name", name), 201);
    }

    JsonNode createProduct(String featureKey, String name) {
        return post("/v1/products", object().put("featureKey", featureKey).put("name", name), 201);
    }

    JsonNode createPrice(String productId, String currency, BigDecimal unitAmount) {
        return post(
                "/v1/prices",
                object().put("product", productId)
                        .put("currency", currency)
                        .put("unitAmount", unitAmount.toPlainString()),
                201);
    }

    JsonNode subscribe(String customer, String priceId) {
        return post("/v1/subscriptions", object().put("customer", customer).put("price", priceId), 201);
    }

    // -- usage (key with usage:write) --

    /** Posts one usage event and returns the answer (202, {@code status} accepted). */
    JsonNode postEvent(String eventId, String customer, String feature, BigDecimal quantity, Instant timestamp) {
        return post("/v1/events", event(eventId, customer, feature, quantity, timestamp), 202);
    }

    /** Retracts (cancels) the earlier event {@code target} of the customer's feature. */
    JsonNode retract(String eventId, String customer, String feature, String target) {
        ObjectNode retraction = object().put("id", eventId)
                .put("customer", customer)
                .put("feature", feature)
                .put("retracts", target);
        return post("/v1/events", retraction, 202);
    }

    /** Posts a batch of events (a JSON array) and returns the per-event answer (202: all accepted). */
    JsonNode postEvents(List<? extends JsonNode> events) {
        return post("/v1/events", json.createArrayNode().addAll(events), 202);
    }

    /** A usage event as the API takes it, for {@link #postEvents}. */
    ObjectNode event(String eventId, String customer, String feature, BigDecimal quantity, Instant timestamp) {
        return object().put("id", eventId)
                .put("customer", customer)
                .put("feature", feature)
                .put("quantity", quantity.toPlainString())
                .put("timestamp", timestamp.toString());
    }

    /**
     * Live usage (key with usage:read) of a customer's feature, windows starting in {@code [from,
     * to)}; days and months in {@code timeZone}.
     */
    JsonNode usage(String customer, String feature, String window, Instant from, Instant to, String timeZone) {
        return get("/v1/usage?customer=" + URLEncoder.encode(customer, StandardCharsets.UTF_8) + "&feature="
                + URLEncoder.encode(feature, StandardCharsets.UTF_8) + "&window=" + window + "&from=" + from + "&to="
                + to + "&time_zone=" + URLEncoder.encode(timeZone, StandardCharsets.UTF_8));
    }

    // -- billing (key with billing:read / billing:write) --

    /**
     * The customer's recorded usage of {@code feature} as it stands: one entry per window, its
     * latest statement (earlier revisions of a restated window are superseded).
     */
    List<JsonNode> ledger(String customer, String feature) {
        String query = "/v1/ledger?limit=1000&customer=" + URLEncoder.encode(customer, StandardCharsets.UTF_8);
        List<JsonNode> entries = new ArrayList<>();
        JsonNode page = get(query);
        entries.addAll(
                StreamSupport.stream(page.path("data").spliterator(), false).toList());
        while (page.path("hasMore").asBoolean()) {
            String last = entries.getLast().path("aggregateId").asText();
            page = get(query + "&startingAfter=" + URLEncoder.encode(last, StandardCharsets.UTF_8));
            entries.addAll(
                    StreamSupport.stream(page.path("data").spliterator(), false).toList());
        }
        return entries.stream()
                .filter(entry -> feature.equals(entry.path("feature").asText()))
                .filter(entry -> !entry.path("superseded").asBoolean())
                .toList();
    }

    /** The sum over the windows of the customer's recorded usage of a summed {@code feature}. */
    BigDecimal ledgerQuantity(String customer, String feature) {
        return ledger(customer, feature).stream()
                .map(entry -> new BigDecimal(entry.path("quantity").asText()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Closes the billing period and returns the close result with its invoices. */
    JsonNode closePeriod(Instant periodStart, Instant periodEnd) {
        ObjectNode body = object().put("periodStart", periodStart.toString()).put("periodEnd", periodEnd.toString());
        return send(request("/v1/billing-periods/close").POST(publish(body)), 200, 201);
    }

    JsonNode invoice(String invoiceId) {
        return get("/v1/invoices/" + invoiceId);
    }

    private ObjectNode object() {
        return json.createObjectNode();
    }

    private JsonNode get(String path) {
        return send(request(path).GET(), 200);
    }

    private JsonNode post(String path, JsonNode body, int expected) {
        return send(request(path).POST(publish(body)), expected);
    }

    private static HttpRequest.BodyPublisher publish(JsonNode body) {
        return HttpRequest.BodyPublishers.ofString(body.toString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest.Builder request, int... expected) {
        HttpRequest built = request.build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            for (int status : expected) {
                if (response.statusCode() == status) {
                    return response.body().isBlank() ? object() : json.readTree(response.body());
                }
            }
            throw new UnexpectedAnswer(
                    built.method() + " " + built.uri().getPath() + " answered " + response.statusCode() + ": "
                            + response.body(),
                    response.statusCode());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The API answered with a status the caller did not expect. */
    static final class UnexpectedAnswer extends RuntimeException {
        private final int status;

        UnexpectedAnswer(String message, int status) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
