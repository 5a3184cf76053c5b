package dev.tally.ingest.bench;

import dev.tally.ingest.IngestFixture;
import dev.tally.ingest.state.StateFeed;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A load generator (a program, not a test): starts a broker, the registry and the ingest API on
 * loopback, then posts single events and batches of 100 and 1,000 over HTTP from closed-loop
 * clients, and in the same run measures a bare Kafka producer sending the same records to the same
 * broker. Prints events/s, p50/p99 request latency and the ratio to the raw producer; each figure
 * is the median of {@code runs} runs.
 *
 * <p>Arguments (all optional): seconds per run (default 5), runs (default 3).
 */
public final class IngestBenchmark {

    private IngestBenchmark() {}

    /** Runs the benchmark and prints a Markdown table. */
    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } finally {
            // The in-process broker's threads would keep the JVM alive after a failure.
            System.exit(0);
        }
    }

    private static void run(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (KafkaBroker broker = KafkaBroker.start()) {
            Map<String, Object> properties =
                    new HashMap<>(IngestFixture.properties(broker.bootstrapServers(), "bench."));
            properties.put("tally.kafka.partitions", "6");
            properties.put("tally.ingest.rate-limit", "0");
            properties.put("micronaut.server.port", "-1");
            properties.put("micronaut.metrics.binders.web.enabled", "false");
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
                ApplicationContext context = server.getApplicationContext();
                while (!context.getBean(StateFeed.class).isReady()) {
                    sleep(Duration.ofMillis(100));
                }
                Topics topics = context.getBean(Topics.class);
                String key = ApiKeys.generate(true);
                IngestFixture.publishKeyRecord(
                        broker.bootstrapServers(), topics, key, "org_bench", List.of("usage:write"), null);
                URI events = server.getURI().resolve("/v1/events");
                double raw = median(runs, () -> rawProducer(context, topics, seconds));
                System.out.printf("%n| scenario | events/s | p50 ms | p99 ms | ratio to raw producer |%n");
                System.out.printf("| --- | --- | --- | --- | --- |%n");
                System.out.printf("| raw producer (same records, same broker) | %.0f | | | 1.00 |%n", raw);
                for (int[] scenario : new int[][] {{1, 1}, {1, 64}, {1, 256}, {100, 16}, {1000, 4}}) {
                    Result result = medianResult(runs, () -> http(events, key, scenario[0], scenario[1], seconds));
                    System.out.printf(
                            "| HTTP, %d event(s)/request, %d connections | %.0f | %.1f | %.1f | %.2f |%n",
                            scenario[0],
                            scenario[1],
                            result.eventsPerSecond(),
                            result.p50Millis(),
                            result.p99Millis(),
                            result.eventsPerSecond() / raw);
                }
            }
        }
    }

    private record Result(double eventsPerSecond, double p50Millis, double p99Millis) {}

    private interface Run<T> {
        T run() throws Exception;
    }

    private static double median(int runs, Run<Double> run) throws Exception {
        double[] values = new double[runs];
        for (int i = 0; i < runs; i++) {
            values[i] = run.run();
        }
        Arrays.sort(values);
        return values[runs / 2];
    }

    private static Result medianResult(int runs, Run<Result> run) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            results.add(run.run());
        }
        results.sort((a, b) -> Double.compare(a.eventsPerSecond(), b.eventsPerSecond()));
        return results.get(runs / 2);
    }

    private static String event(long n) {
        return "{\"id\":\"bench-" + n + "\",\"customer\":\"cus_" + (n % 1000) + "\",\"feature\":\"ai_call\","
                + "\"quantity\":\"1.5\",\"properties\":{\"model\":\"small\",\"region\":\"eu-west-1\"}}";
    }

    /**
     * Closed-loop clients, one virtual thread and one keep-alive connection each, writing each
     * request in one segment (TCP_NODELAY): a general HTTP client's separate header and body writes
     * would measure Nagle's algorithm against delayed ACKs rather than the API.
     */
    private static Result http(URI events, String key, int perRequest, int connections, int seconds)
            throws InterruptedException {
        AtomicLong sequence = new AtomicLong(System.nanoTime());
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                try (Socket socket = new Socket(events.getHost(), events.getPort())) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    while (running.get()) {
                        byte[] request = request(events, key, perRequest, sequence);
                        long sent = System.nanoTime();
                        out.write(request);
                        out.flush();
                        int status = readResponse(in);
                        if (measuring.get()) {
                            if (status == 202) {
                                accepted.addAndGet(perRequest);
                                latencies.add(System.nanoTime() - sent);
                            } else {
                                failed.incrementAndGet();
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        sleep(Duration.ofSeconds(1));
        measuring.set(true);
        long start = System.nanoTime();
        sleep(Duration.ofSeconds(seconds));
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long count = accepted.get();
        running.set(false);
        for (Thread client : clients) {
            client.join();
        }
        if (failed.get() > 0) {
            System.out.printf("(%d requests were not answered 202)%n", failed.get());
        }
        long[] sorted;
        synchronized (latencies) {
            sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        return new Result(count / elapsed, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static byte[] request(URI events, String key, int perRequest, AtomicLong sequence) {
        StringBuilder body = new StringBuilder(perRequest == 1 ? "" : "[");
        for (int i = 0; i < perRequest; i++) {
            body.append(i == 0 ? "" : ",").append(event(sequence.incrementAndGet()));
        }
        if (perRequest > 1) {
            body.append(']');
        }
        byte[] content = body.toString().getBytes(StandardCharsets.UTF_8);
        String head = "POST " + events.getPath() + " HTTP/1.1\r\nHost: " + events.getHost() + ":" + events.getPort()
                + "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\nContent-Length: "
                + content.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + content.length);
        System.arraycopy(content, 0, request, headBytes.length, content.length);
        return request;
    }

    /** Reads one response (status line, headers, Content-Length body) and answers its status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = 0;
        String header;
        while (!(header = line(in)).isEmpty()) {
            if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).strip());
            }
        }
        in.skipNBytes(length);
        return status;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                throw new EOFException("the server closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** The same records, serialized the same way, from a bare producer with the same settings. */
    private static double rawProducer(ApplicationContext context, Topics topics, int seconds) {
        Topic<String, UsageEvent> topic = topics.usageEvents();
        Map<String, Object> props = context.getBean(KafkaClientProperties.class).producer("bench-raw");
        try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(
                props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            BigDecimal quantity = Decimals.quantity(new BigDecimal("1.5"));
            Map<String, String> properties = Map.of("model", "small", "region", "eu-west-1");
            AtomicLong acked = new AtomicLong();
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long start = System.nanoTime();
            long n = 0;
            while (System.nanoTime() < deadline) {
                Instant now = Instant.now();
                String customer = "cus_" + (n % 1000);
                UsageEvent event = new UsageEvent(
                        "raw-" + start + "-" + n,
                        "org_bench",
                        customer,
                        "ai_call",
                        quantity,
                        now,
                        now,
                        properties,
                        true,
                        null);
                producer.send(
                        new ProducerRecord<>(topic.name(), Keys.customer("org_bench", customer), event),
                        (metadata, failure) -> {
                            if (failure == null) {
                                acked.incrementAndGet();
                            }
                        });
                n++;
            }
            producer.flush();
            return acked.get() / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
