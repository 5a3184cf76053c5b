package dev.tally.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 4's live-query goals, measured through the whole local pipeline (a program, not a test):
 *
 * <ul>
 *   <li>freshness: from ingest's 202 for an event to the first {@code GET /v1/usage} that shows it
 *       (goal: p99 under 1 s);
 *   <li>latency of {@code GET /v1/usage} for a month of hourly windows of one customer's feature
 *       (goal: p99 under 50 ms), and of the same month rolled up into days in a time zone.
 * </ul>
 *
 * Everything runs in this JVM, as {@code ./run-local} runs it: broker, registry, PostgreSQL, the
 * services; the client is the JDK's HTTP client on loopback. Arguments: freshness events (default
 * 200), queries per kind (default 1,000), runs (default 3).
 */
final class UsageQueryBenchmark {

    private static final String FEATURE = "ai_call";
    private static final Duration FRESHNESS_LIMIT = Duration.ofSeconds(30);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private UsageQueryBenchmark() {}

    public static void main(String[] args) throws IOException {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.printf(
                "machine: %d cores, load average %s, %s%n",
                Runtime.getRuntime().availableProcessors(),
                loadAverage(),
                System.getProperty("java.vm.name") + " " + Runtime.version());
        Path dataDir = Files.createTempDirectory("tally-usage-bench");
        try (LocalPipeline pipeline = LocalPipeline.start(dataDir, FreePorts.allocate(), Map.of())) {
            TallyClient admin = new TallyClient(pipeline.apiUrl(), pipeline.adminToken());
            String organizationId =
                    admin.createOrganization("Usage query benchmark").path("id").asText();
            TallyClient app = admin.as(
                    admin.createApiKey(organizationId, true).path("key").asText());
            Instant monthEnd = Instant.now().truncatedTo(ChronoUnit.HOURS);
            Instant monthStart = monthEnd.minus(Duration.ofDays(30));
            loadMonth(app, "cust_month", monthStart, monthEnd);
            for (int run = 1; run <= runs; run++) {
                System.out.printf("run %d (load average %s)%n", run, loadAverage());
                report("freshness (202 → visible)", freshness(app, "cust_fresh_" + run, events));
                report(
                        "month of hourly windows",
                        latencies(
                                queries, () -> app.usage("cust_month", FEATURE, "hour", monthStart, monthEnd, "UTC")));
                report(
                        "month rolled up into days (Europe/Paris)",
                        latencies(
                                queries,
                                () -> app.usage("cust_month", FEATURE, "day", monthStart, monthEnd, "Europe/Paris")));
            }
        }
    }

    /** One event per hour of the month, sent in one batch, then waits until the query shows all. */
    private static void loadMonth(TallyClient app, String customer, Instant start, Instant end) {
        List<ObjectNode> batch = new ArrayList<>();
        for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            batch.add(
                    app.event("month-" + hour.toEpochMilli(), customer, FEATURE, BigDecimal.ONE, hour.plusSeconds(1)));
        }
        app.postEvents(batch);
        long deadline = System.nanoTime() + FRESHNESS_LIMIT.toNanos();
        while (rowsOnceAvailable(app, customer, start, end) < batch.size()) {
            pause(deadline, "the month of usage to show");
        }
        System.out.printf("loaded %d hourly windows for %s%n", batch.size(), customer);
    }

    private static long[] freshness(TallyClient app, String customer, int events) {
        long[] nanos = new long[events];
        Instant from = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        Instant to = from.plus(Duration.ofHours(3));
        for (int i = 0; i < events; i++) {
            app.postEvent(customer + "-" + i, customer, FEATURE, BigDecimal.ONE, Instant.now());
            long acknowledged = System.nanoTime();
            long deadline = acknowledged + FRESHNESS_LIMIT.toNanos();
            while (eventCount(app.usage(customer, FEATURE, "minute", from, to, "UTC")) < i + 1) {
                pause(deadline, "event " + i + " to show");
            }
            nanos[i] = System.nanoTime() - acknowledged;
        }
        return nanos;
    }

    private static long[] latencies(int queries, Runnable query) {
        long[] nanos = new long[queries];
        for (int i = 0; i < queries; i++) {
            long start = System.nanoTime();
            query.run();
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    /** Rows of the month so far; none while the stream is still starting (503 usage_unavailable). */
    private static int rowsOnceAvailable(TallyClient app, String customer, Instant start, Instant end) {
        try {
            return app.usage(customer, FEATURE, "hour", start, end, "UTC")
                    .path("data")
                    .size();
        } catch (TallyClient.UnexpectedAnswer e) {
            if (e.status() == 503) {
                return 0;
            }
            throw e;
        }
    }

    private static long eventCount(JsonNode report) {
        long count = 0;
        for (JsonNode row : report.path("data")) {
            count += row.path("event_count").asLong();
        }
        return count;
    }

    /** Polling resolution: one millisecond between queries, so the poller does not starve the pipeline. */
    private static void pause(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("gave up waiting for " + what);
        }
        LockSupport.parkNanos(POLL_NANOS);
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "  %-42s n=%d p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                what, sorted.length, millis(sorted, 0.50), millis(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double millis(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
