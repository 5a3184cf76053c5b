package dev.tally.billing;

import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The settings of an API test's invoice-builder server (a {@code @MicronautTest} class's
 * {@code getProperties()}): its own database, the shared broker and registry, topics of its own,
 * and one admin token; a test injects its {@link ApiCalls} to that server.
 */
@Factory
public final class TestServer {

    /** The admin token every API test's server accepts. */
    public static final String ADMIN_TOKEN = "admin-secret";

    /**
     * A server on {@code db} whose topics are named under a fresh prefix starting with
     * {@code topicGroup}, two partitions each, with a fast outbox relay; mutable, for a test's own
     * additions.
     */
    public static Map<String, String> properties(TestPostgres.Database db, String topicGroup) {
        Map<String, String> properties = new HashMap<>();
        properties.put("tally.database.url", db.jdbcUrl());
        properties.put("tally.database.user", db.user());
        properties.put("tally.database.password", db.password());
        properties.put("tally.kafka.bootstrap-servers", KafkaBroker.shared().bootstrapServers());
        properties.put(
                "tally.kafka.schema-registry-url", SchemaRegistryServer.shared().url());
        properties.put("tally.kafka.topic-prefix", topicGroup + "-" + UUID.randomUUID() + ".");
        properties.put("tally.kafka.partitions", "2");
        properties.put("tally.billing.admin-token", ADMIN_TOKEN);
        properties.put("tally.billing.outbox-poll-interval", "100ms");
        return properties;
    }

    /** Calls to the test's own server, as its admin where they need one. */
    @Singleton
    ApiCalls api(@Client("/") HttpClient http) {
        return new ApiCalls(http, ADMIN_TOKEN);
    }
}
