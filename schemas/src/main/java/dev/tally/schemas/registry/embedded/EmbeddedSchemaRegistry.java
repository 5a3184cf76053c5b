package dev.tally.schemas.registry.embedded;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible schema registry for Avro, served in-process on the JDK's HTTP server. It
 * speaks the REST subset the pipeline and Confluent's own serdes use, in Confluent's JSON shapes
 * (content type {@code application/vnd.schemaregistry.v1+json}) and error codes:
 *
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions} {@code {"schema": "..."}} → {@code {"id": n}};
 *       ids are global (the same schema under any subject has one id) and registering a schema
 *       again returns its id; 409 when the subject's compatibility level refuses it, 422 (42201)
 *       for an invalid schema</li>
 *   <li>{@code POST /subjects/{subject}} → the version that schema is under the subject</li>
 *   <li>{@code GET /schemas/ids/{id}} → {@code {"schema": "..."}} (404, 40403)</li>
 *   <li>{@code GET /subjects}, {@code GET /subjects/{subject}/versions} (404, 40401),
 *       {@code GET /subjects/{subject}/versions/{version|latest}} →
 *       {@code {"subject","version","id","schema"}} (404, 40402)</li>
 *   <li>{@code POST /compatibility/subjects/{subject}/versions/{version|latest}} and
 *       {@code .../versions} → {@code {"is_compatible": bool}} ({@code ?verbose=true} adds
 *       {@code messages})</li>
 *   <li>{@code GET|PUT /config} and {@code /config/{subject}}: compatibility levels NONE,
 *       BACKWARD (the default), BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,
 *       FULL_TRANSITIVE, decided with Avro's {@code SchemaCompatibility}</li>
 * </ul>
 *
 * <p>With a {@link Config#dataFile() data file}, every registration and compatibility change is
 * appended to it as a JSON line (synced before the answer) and replayed on the next start, so
 * ids survive restarts and records already written stay readable. Without one, the registry
 * forgets everything when closed.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
 *         EmbeddedSchemaRegistry.Config.ephemeral().withPort(8081).withDataFile(dataDir.resolve("schemas.jsonl")))) {
 *     SchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url());
 * }
 * }</pre>
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    /**
     * Where and how the registry runs.
     *
     * @param host the address to bind, {@code 127.0.0.1} by default (loopback only)
     * @param port the port to bind; 0 picks a free one (see {@link #port()})
     * @param dataFile the journal that keeps schemas across restarts (created with its directories
     *     if missing), or null to keep them in memory only
     */
    public record Config(String host, int port, Path dataFile) {

        public Config {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** Loopback, a free port, in memory only. */
        public static Config ephemeral() {
            return new Config("127.0.0.1", 0, null);
        }

        /** This config bound to {@code newHost}. */
        public Config withHost(String newHost) {
            return new Config(newHost, port, dataFile);
        }

        /** This config bound to {@code newPort} (0 for a free one). */
        public Config withPort(int newPort) {
            return new Config(host, newPort, dataFile);
        }

        /** This config keeping its schemas in {@code file}. */
        public Config withDataFile(Path file) {
            return new Config(host, port, file);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI url;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        InetSocketAddress address = server.getAddress();
        this.url = URI.create("http://" + hostForUrl(address) + ":" + address.getPort());
    }

    /** Starts an in-memory registry on a free loopback port. */
    public static EmbeddedSchemaRegistry start() {
        return start(Config.ephemeral());
    }

    /**
     * Starts a registry as {@code config} says: replays the data file if there is one, binds, and
     * serves until {@link #close()}.
     *
     * @throws UncheckedIOException if the port cannot be bound or the data file cannot be read
     * @throws IllegalStateException if the data file is corrupt
     */
    public static EmbeddedSchemaRegistry start(Config config) {
        SchemaStore store = config.dataFile() == null
                ? SchemaStore.inMemory()
                : SchemaStore.replaying(Journal.open(config.dataFile()));
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot bind the schema registry to " + config.host() + ":" + config.port(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", new RegistryHandler(store));
        server.start();
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(server, executor);
        LOG.info(
                "schema registry serving at {}{}",
                registry.url(),
                config.dataFile() == null ? " (in memory)" : " (data in " + config.dataFile() + ")");
        return registry;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8081}, to give any Confluent-compatible client. */
    public URI url() {
        return url;
    }

    /** The port actually bound (useful when the config asked for 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving at once; everything acknowledged is already in the data file. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private static String hostForUrl(InetSocketAddress address) {
        // a wildcard bind is reachable on loopback; the wildcard itself is no address to call
        String host = address.getAddress().isAnyLocalAddress()
                ? "127.0.0.1"
                : address.getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
