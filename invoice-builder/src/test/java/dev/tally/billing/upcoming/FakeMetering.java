package dev.tally.billing.upcoming;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * metering-streams' live usage query played on loopback: {@code GET /v1/usage} answers the minutes it was given
 * that start in the query's {@code [from, to)} for its customer and feature, in metering's JSON shape (snake
 * case, {@code final_through}, as {@code metering-streams/README.md} documents it), and records each query; it
 * can also be made to drop every connection unanswered, as a metering that is down.
 */
final class FakeMetering implements AutoCloseable {

    /** A minute metering holds. */
    record Minute(String customer, String feature, Instant start, String quantity, long events) {}

    /** A query it received: its parameters and the Authorization header. */
    record Query(Map<String, String> parameters, String authorization) {}

    private final HttpServer server;
    private final List<Minute> minutes = new CopyOnWriteArrayList<>();
    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    FakeMetering() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/usage", this::answer);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void add(Minute minute) {
        minutes.add(minute);
    }

    void down(boolean down) {
        this.down = down;
    }

    List<Query> queries() {
        return List.copyOf(queries);
    }

    private void answer(HttpExchange exchange) throws IOException {
        if (down) {
            exchange.close(); // no status line, no body: the connection just ends
            return;
        }
        Map<String, String> query = parameters(exchange.getRequestURI().getRawQuery());
        queries.add(new Query(query, exchange.getRequestHeaders().getFirst("Authorization")));
        Instant from = Instant.parse(query.get("from"));
        Instant to = Instant.parse(query.get("to"));
        String rows = minutes.stream()
                .filter(m -> m.customer().equals(query.get("customer"))
                        && m.feature().equals(query.get("feature"))
                        && !m.start().isBefore(from)
                        && m.start().isBefore(to))
                .map(m -> "{\"customer\":\"" + m.customer() + "\",\"feature\":\"" + m.feature()
                        + "\",\"aggregation\":\"sum\",\"window_start\":\"" + m.start() + "\",\"window_end\":\""
                        + m.start().plusSeconds(60) + "\",\"quantity\":\"" + m.quantity() + "\",\"event_count\":"
                        + m.events() + ",\"final\":false}")
                .collect(Collectors.joining(","));
        byte[] body = ("{\"organization\":\"org\",\"livemode\":false,\"customer\":\"" + query.get("customer")
                        + "\",\"window\":\"minute\",\"time_zone\":\"UTC\",\"from\":\"" + from + "\",\"to\":\"" + to
                        + "\",\"final_through\":\"" + from + "\",\"data\":[" + rows + "]}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static Map<String, String> parameters(String raw) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
