package dev.tally.ingest.bench;

import dev.tally.ingest.IngestFixture;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The infrastructure of the ingest benchmark, in a process of its own (a program, not a test): a
 * KRaft broker and the embedded schema registry, the catalogue's topics under the prefix
 * {@code bench.}, and one live API key. Writes the environment the API and the raw producer need
 * ({@code TALLY_KAFKA_*}, {@code BENCH_KEY}) to a file, then runs until it is killed.
 *
 * <p>Arguments: the environment file to write, partitions of the topics (default 6).
 */
public final class BenchBroker {

    static final String PREFIX = "bench.";
    static final String ORGANIZATION = "org_bench";

    private BenchBroker() {}

    /** Starts everything, writes the environment file and waits to be killed. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path envFile = Path.of(args[0]);
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        KafkaBroker broker = KafkaBroker.start();
        SchemaRegistryServer registry = SchemaRegistryServer.start();
        Topics topics = Topics.create(PREFIX, registry.client());
        broker.createTopics(topics, partitions);
        String key = ApiKeys.generate(true);
        IngestFixture.publishKeyRecord(
                broker.bootstrapServers(), topics, key, ORGANIZATION, List.of("usage:write"), null);
        Path written = Files.writeString(
                envFile.resolveSibling(envFile.getFileName() + ".tmp"),
                String.join(
                        "\n",
                        "TALLY_KAFKA_BOOTSTRAP_SERVERS=" + broker.bootstrapServers(),
                        "TALLY_KAFKA_SCHEMA_REGISTRY_URL=" + registry.url(),
                        "TALLY_KAFKA_TOPIC_PREFIX=" + PREFIX,
                        "TALLY_KAFKA_PARTITIONS=" + partitions,
                        "BENCH_KEY=" + key,
                        ""));
        // Renamed into place so that a reader never sees half a file.
        Files.move(written, envFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("broker " + broker.bootstrapServers() + ", registry " + registry.url() + ": ready");
        Thread.currentThread().join();
    }
}
