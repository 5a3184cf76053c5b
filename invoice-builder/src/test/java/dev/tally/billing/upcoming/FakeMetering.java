package dev.tally.billing.upcoming;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * metering-streams' live usage query played on loopback: {@code GET /v1/usage} answers the minutes it was given
 * for its customer and feature, in metering's JSON shape (snake case, {@code final_through}, as {@code
 * metering-streams/README.md} documents it): {@code window=minute} the minutes starting in the query's {@code
 * [from, to)}; {@code hour} and {@code month} (UTC) roll them up as metering does, the minutes into the hours
 * they start in, the hours starting in {@code [from, to)} into their months, a sum added and a unique count as
 * the size of the union of the values. It records each query, runs a hook before answering, and can forget a
 * customer's early hours (as metering's live retention does) or drop every connection unanswered, as a
 * metering that is down.
 */
public final class FakeMetering implements AutoCloseable {

    /** A minute metering holds: a sum, or the distinct {@code values} of a unique count. */
    public record Minute(
            String customer,
            String feature,
            Instant start,
            String quantity,
            long events,
            String aggregation,
            List<String> values) {

        /** A minute of a summed feature. */
        public Minute(String customer, String feature, Instant start, String quantity, long events) {
            this(customer, feature, start, quantity, events, "sum", List.of());
        }

        /** A minute of a unique count: its events and the distinct values they brought. */
        static Minute distinct(String customer, String feature, Instant start, long events, String... values) {
            return new Minute(
                    customer, feature, start, Integer.toString(values.length), events, "unique_count", List.of(values));
        }
    }

    /** A query it received: its parameters and the Authorization header. */
    record Query(Map<String, String> parameters, String authorization) {}

    private final HttpServer server;
    private final List<Minute> minutes = new CopyOnWriteArrayList<>();
    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private volatile Runnable beforeAnswer = () -> {};

    public FakeMetering() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/usage", this::answer);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void add(Minute minute) {
        minutes.add(minute);
    }

    public void down(boolean down) {
        this.down = down;
    }

    List<Query> queries() {
        return List.copyOf(queries);
    }

    /** Runs {@code hook} on each query received, before it is answered (the caller waits meanwhile). */
    void beforeAnswer(Runnable hook) {
        this.beforeAnswer = hook;
    }

    /** Forgets {@code customer}'s minutes of the hours starting before {@code hour}, as live retention does. */
    void forget(String customer, Instant hour) {
        minutes.removeIf(m -> m.customer().equals(customer)
                && m.start().truncatedTo(ChronoUnit.HOURS).isBefore(hour));
    }

    private void answer(HttpExchange exchange) throws IOException {
        if (down) {
            exchange.close(); // no status line, no body: the connection just ends
            return;
        }
        Map<String, String> query = parameters(exchange.getRequestURI().getRawQuery());
        queries.add(new Query(query, exchange.getRequestHeaders().getFirst("Authorization")));
        beforeAnswer.run();
        Instant from = Instant.parse(query.get("from"));
        Instant to = Instant.parse(query.get("to"));
        String window = query.get("window");
        Map<List<Object>, Cell> cells = new TreeMap<>(
                Comparator.comparing((List<Object> k) -> (Instant) k.get(0)).thenComparing(k -> (String) k.get(1)));
        for (Minute m : minutes) {
            Instant start = "minute".equals(window) ? m.start() : m.start().truncatedTo(ChronoUnit.HOURS);
            if (!m.customer().equals(query.get("customer"))
                    || !m.feature().equals(query.get("feature"))
                    || start.isBefore(from)
                    || !start.isBefore(to)) {
                continue;
            }
            Instant end = "minute".equals(window) ? start.plusSeconds(60) : start.plusSeconds(3600);
            if ("month".equals(window)) {
                YearMonth month = YearMonth.from(start.atZone(ZoneOffset.UTC));
                start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            cells.computeIfAbsent(List.of(start, m.aggregation()), k -> new Cell())
                    .add(m, end);
        }
        String rows = cells.entrySet().stream()
                .map(e -> "{\"customer\":\"" + query.get("customer") + "\",\"feature\":\"" + query.get("feature")
                        + "\",\"aggregation\":\"" + e.getKey().get(1) + "\",\"window_start\":\""
                        + e.getKey().get(0) + "\",\"window_end\":\"" + e.getValue().end + "\",\"quantity\":\""
                        + e.getValue().quantity().toPlainString() + "\",\"event_count\":" + e.getValue().events
                        + ",\"final\":false}")
                .collect(Collectors.joining(","));
        byte[] body = ("{\"organization\":\"org\",\"livemode\":false,\"customer\":\"" + query.get("customer")
                        + "\",\"window\":\"" + window + "\",\"time_zone\":\"UTC\",\"from\":\"" + from
                        + "\",\"to\":\"" + to + "\",\"final_through\":\"" + from + "\",\"data\":[" + rows + "]}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** One window of an answer: the minutes it rolls up, merged by their aggregation. */
    private static final class Cell {
        private BigDecimal sum = BigDecimal.ZERO;
        private final Set<String> values = new TreeSet<>();
        private boolean distinct;
        private long events;
        private Instant end;

        void add(Minute minute, Instant windowEnd) {
            end = windowEnd;
            events += minute.events();
            distinct = minute.aggregation().equals("unique_count");
            sum = sum.add(new BigDecimal(minute.quantity()));
            values.addAll(minute.values());
        }

        BigDecimal quantity() {
            return distinct ? BigDecimal.valueOf(values.size()) : sum;
        }
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
