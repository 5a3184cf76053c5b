package dev.tally.launcher;

import dev.tally.ingest.IngestApiApplication;
import dev.tally.schemas.registry.embedded.EmbeddedSchemaRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in this JVM, on loopback: Kafka, the schema registry, PostgreSQL and a
 * simulated Stellar network, then every service in one Micronaut context on one HTTP port.
 * Everything but the Stellar network keeps its data under the data directory.
 */
final class LocalPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

    private final Deque<Runnable> stops = new ArrayDeque<>();
    private final LocalPorts ports;
    private final String adminToken;
    private LocalStellar stellar;
    private LocalKafka kafka;
    private EmbeddedSchemaRegistry registry;
    private LocalPostgres postgres;
    private ApplicationContext services;

    private LocalPipeline(LocalPorts ports) {
        this.ports = ports;
        this.adminToken = "adm_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    }

    /**
     * Starts every part, in dependency order. {@code overrides} are service properties that win
     * over the local defaults (tests use them, e.g. for window sizes).
     */
    static LocalPipeline start(Path dataDir, LocalPorts ports, Map<String, Object> overrides) {
        LocalPipeline pipeline = new LocalPipeline(ports);
        try {
            pipeline.startInfrastructure(dataDir);
            pipeline.startServices(dataDir, overrides);
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    private void startInfrastructure(Path dataDir) {
        DataDirLock lock = DataDirLock.acquire(dataDir);
        stops.push(lock::close);
        LOG.info("starting PostgreSQL on 127.0.0.1:{}", ports.postgres());
        postgres = LocalPostgres.start(dataDir.resolve("postgres"), ports.postgres());
        stops.push(postgres::close);
        LOG.info("starting Kafka on 127.0.0.1:{}", ports.kafka());
        kafka = LocalKafka.start(dataDir.resolve("kafka"), ports.kafka(), ports.kafkaController());
        stops.push(kafka::close);
        LOG.info("starting the schema registry on 127.0.0.1:{}", ports.registry());
        registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistry.Config.ephemeral()
                .withPort(ports.registry())
                .withDataFile(dataDir.resolve("registry").resolve("schemas.jsonl")));
        stops.push(registry::close);
        LOG.info("starting the simulated Stellar network (fake Horizon) on 127.0.0.1:{}", ports.horizon());
        stellar = LocalStellar.start(ports.horizon());
        stops.push(stellar::close);
    }

    private void startServices(Path dataDir, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("micronaut.server.port", ports.http());
        properties.put("endpoints.prometheus.sensitive", false);
        // ingest inflates its bodies itself, to tell a truncated gzip body from a whole one; the
        // other services read no compressed bodies
        properties.putAll(IngestApiApplication.SERVER_PROPERTIES);
        properties.put("tally.kafka.bootstrap-servers", kafka.bootstrapServers());
        properties.put("tally.kafka.schema-registry-url", registry.url().toString());
        properties.put("tally.kafka.partitions", 4);
        properties.put("tally.database.url", postgres.jdbcUrl());
        properties.put("tally.database.user", LocalPostgres.USER);
        properties.put("tally.database.password", "");
        properties.put("tally.billing.admin-token", adminToken);
        // the upcoming invoice asks metering's live usage query, served by this same JVM on --http-port
        properties.put("tally.billing.metering-url", "http://127.0.0.1:" + ports.http());
        // short billing windows, so that a local run shows invoices within seconds (production: 1 hour)
        properties.put("tally.metering.window-size", "PT10S");
        properties.put("tally.metering.grace", "PT3S");
        properties.put("tally.metering.state-dir", dataDir.resolve("streams").toString());
        properties.put("tally.settlement.horizon-url", stellar.horizonUrl());
        properties.put("tally.settlement.network-passphrase", stellar.networkPassphrase());
        properties.put("tally.settlement.receiving-account", stellar.merchantAccount());
        properties.put("tally.settlement.asset-code", LocalStellar.ASSET_CODE);
        properties.put("tally.settlement.asset-issuer", stellar.issuerAccount());
        properties.put("tally.settlement.poll-interval", "PT0.5S");
        properties.putAll(overrides);
        LOG.info("starting the services on http://127.0.0.1:{}", ports.http());
        // a plain context, not Micronaut.run: that would add a JVM shutdown hook of its own, racing
        // (and deadlocking) with the launcher's, which must stop the services before the infrastructure
        services = ApplicationContext.builder().properties(properties).start();
        stops.push(services::close);
        services.getBean(EmbeddedServer.class).start();
    }

    URI apiUrl() {
        return URI.create("http://127.0.0.1:" + ports.http());
    }

    String adminToken() {
        return adminToken;
    }

    String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    URI registryUrl() {
        return registry.url();
    }

    String postgresJdbcUrl() {
        return postgres.jdbcUrl();
    }

    LocalStellar stellar() {
        return stellar;
    }

    /** Stops every part in the reverse order of their start; a part that fails to stop does not keep the others running. */
    @Override
    public void close() {
        while (!stops.isEmpty()) {
            try {
                stops.pop().run();
            } catch (RuntimeException e) {
                LOG.warn("a part of the pipeline did not stop cleanly: {}", e.toString());
            }
        }
    }
}
