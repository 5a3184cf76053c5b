package dev.tally.billing.bench;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.TestServer;
import dev.tally.billing.upcoming.FakeMetering;
import dev.tally.testkit.TestPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The latency of {@code GET /v1/customers/{id}/entitlements/{feature}} for a metered entitlement, through the real
 * server and PostgreSQL: the customer's month so far in the ledger (one window per hour since the first of the
 * month, UTC) and 30 live minutes in metering, played by the loopback {@link FakeMetering} (metering's own query
 * latency is measured in BENCHMARKS.md's live query section). Anchor, same run, same server: {@code GET
 * /v1/customers/{id}}, a read of one row through the same HTTP stack, authentication and pool. Requests one at a
 * time from one client thread, after a warm-up. A program, not a test: run it on a quiet machine.
 *
 * <p>Arguments: {@code requests runs} (defaults {@code 2000 5}).
 */
public final class EntitlementLatencyBenchmark {

    private EntitlementLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        TestPostgres.Database database = TestPostgres.shared().createDatabase();
        try (FakeMetering metering = new FakeMetering()) {
            Map<String, Object> properties =
                    new java.util.HashMap<>(TestServer.properties(database, "entitlement-bench"));
            properties.put("tally.billing.metering-url", metering.url());
            properties.put("tally.billing.cycle.enabled", "false");
            properties.put("micronaut.server.port", "-1");
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties);
                    HttpClient micronaut = HttpClient.create(server.getURL())) {
                ApiCalls api = new ApiCalls(micronaut, TestServer.ADMIN_TOKEN);
                String org = api.newOrganization("Bench");
                String key = api.newKey(org);
                expect(api.post(key, "/v1/meters", Map.of("feature", "ai_call", "aggregation", "sum")), 201);
                ApiCalls.Reply created = api.post(key, "/v1/customers", Map.of("externalId", "bench"));
                expect(created, 201);
                expect(
                        api.post(
                                key,
                                "/v1/customers/bench/entitlements",
                                Map.of("feature", "ai_call", "type", "metered", "limit", "1000000")),
                        201);
                int windows = usage(
                        server.getApplicationContext()
                                .getBean(BillingDatabase.class)
                                .jdbi(),
                        org,
                        metering);
                System.out.printf(
                        "requests=%d runs=%d ledger windows=%d live minutes=30 cores=%d%n",
                        requests, runs, windows, Runtime.getRuntime().availableProcessors());
                java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
                URI value = server.getURI().resolve("/v1/customers/bench/entitlements/ai_call");
                URI customer = server.getURI()
                        .resolve("/v1/customers/" + created.body().get("id"));
                time(client, key, value, 500);
                time(client, key, customer, 500);
                List<Double> p99s = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    double loadBefore = BenchFigures.load();
                    double[] entitlement = time(client, key, value, requests);
                    double[] anchor = time(client, key, customer, requests);
                    double loadAfter = BenchFigures.load();
                    double p99 = percentile(entitlement, 99);
                    p99s.add(p99);
                    ratios.add(p99 / percentile(anchor, 99));
                    System.out.printf(
                            "run=%d entitlement p50=%.2f ms p99=%.2f ms max=%.2f ms | customer read p50=%.2f ms"
                                    + " p99=%.2f ms | p99 ratio %.2f | load=%.2f->%.2f%n",
                            run,
                            percentile(entitlement, 50),
                            p99,
                            entitlement[entitlement.length - 1],
                            percentile(anchor, 50),
                            percentile(anchor, 99),
                            p99 / percentile(anchor, 99),
                            loadBefore,
                            loadAfter);
                }
                System.out.printf(
                        "MEDIAN entitlement p99=%.2f ms, p99 / customer read p99=%.2f%n",
                        BenchFigures.median(p99s), BenchFigures.median(ratios));
            }
        }
        System.exit(0);
    }

    /** The month so far in the ledger, an hourly window each, and 30 minutes of the current hour in metering. */
    private static int usage(Jdbi jdbi, String org, FakeMetering metering) {
        Instant now = Instant.now();
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant monthStart = now.atZone(java.time.ZoneOffset.UTC)
                .withDayOfMonth(1)
                .truncatedTo(ChronoUnit.DAYS)
                .toInstant();
        BillingFixtures ledger = BillingFixtures.on(jdbi);
        int windows = 0;
        for (Instant window = monthStart; window.isBefore(hour); window = window.plus(1, ChronoUnit.HOURS)) {
            ledger.statement(org, "bench", "ai_call", window).quantity("7").insert();
            windows++;
        }
        for (int minute = 0; minute < 30; minute++) {
            metering.add(new FakeMetering.Minute("bench", "ai_call", hour.plus(minute, ChronoUnit.MINUTES), "1", 1));
        }
        return windows;
    }

    /** Each request's milliseconds, sorted; fails on an answer other than 200. */
    private static double[] time(java.net.http.HttpClient client, String key, URI uri, int requests) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + key)
                .GET()
                .build();
        double[] millis = new double[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
            }
        }
        Arrays.sort(millis);
        return millis;
    }

    private static double percentile(double[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void expect(ApiCalls.Reply reply, int status) {
        if (reply.code() != status) {
            throw new IllegalStateException("expected " + status + ", got " + reply.code() + ": " + reply.body());
        }
    }
}
