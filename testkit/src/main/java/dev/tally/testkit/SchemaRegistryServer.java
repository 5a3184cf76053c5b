package dev.tally.testkit;

import dev.tally.schemas.registry.HttpSchemaRegistryClient;
import dev.tally.schemas.registry.SchemaRegistryClient;
import dev.tally.schemas.registry.embedded.EmbeddedSchemaRegistry;
import java.net.URI;

/**
 * The embedded Confluent-compatible schema registry ({@link EmbeddedSchemaRegistry}) for tests: in
 * memory, on a free loopback port, compatibility BACKWARD by default.
 *
 * <pre>{@code
 * SchemaRegistryServer registry = SchemaRegistryServer.shared();
 * Topics topics = Topics.create("test-" + UUID.randomUUID() + ".", registry.client());
 * props.put("tally.kafka.schema-registry-url", registry.url());
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static SchemaRegistryServer shared;

    private final EmbeddedSchemaRegistry registry;
    private final boolean isShared;

    private SchemaRegistryServer(EmbeddedSchemaRegistry registry, boolean isShared) {
        this.registry = registry;
        this.isShared = isShared;
    }

    /** Starts a fresh, empty registry that the caller closes. */
    public static SchemaRegistryServer start() {
        return new SchemaRegistryServer(EmbeddedSchemaRegistry.start(), false);
    }

    /**
     * The registry shared by every test of this JVM, started on first use and stopped by a
     * shutdown hook; {@link #close()} on it does nothing. Subjects are named after topics, so tests
     * that use their own topic prefix never meet each other's schemas.
     */
    public static synchronized SchemaRegistryServer shared() {
        if (shared == null) {
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "schema-registry-shutdown"));
            shared = new SchemaRegistryServer(registry, true);
        }
        return shared;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123}, for any Confluent-compatible client. */
    public String url() {
        return registry.url().toString();
    }

    /** A new client of this registry (each client keeps its own cache). */
    public SchemaRegistryClient client() {
        return new HttpSchemaRegistryClient(URI.create(url()));
    }

    /** Stops the registry; does nothing on the {@link #shared()} one. */
    @Override
    public void close() {
        if (!isShared) {
            registry.close();
        }
    }
}
