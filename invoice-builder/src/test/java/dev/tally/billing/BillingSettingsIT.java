package dev.tally.billing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.testkit.KafkaBroker;
import dev.tally.testkit.SchemaRegistryServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BillingSettingsIT {

    @Test
    void shouldRefuseToStartWithoutAnAdminToken() {
        TestPostgres.Database db = TestPostgres.shared().createDatabase();
        Map<String, Object> withoutToken = Map.of(
                "tally.database.url", db.jdbcUrl(),
                "tally.database.user", db.user(),
                "tally.database.password", db.password(),
                "tally.kafka.bootstrap-servers", KafkaBroker.shared().bootstrapServers(),
                "tally.kafka.schema-registry-url", SchemaRegistryServer.shared().url(),
                "tally.kafka.topic-prefix", "settings-" + UUID.randomUUID() + ".",
                "micronaut.server.port", -1);

        assertThatThrownBy(() -> ApplicationContext.run(withoutToken).close()).hasStackTraceContaining("adminToken");
    }
}
