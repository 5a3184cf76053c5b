package dev.tally.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second start of the local pipeline on the same data directory keeps everything: tenants and
 * keys in PostgreSQL, usage in Kafka and the ledger, schema ids in the registry.
 *
 * <pre>
 *   start #1: tenant + key, 2 units of usage ──▶ ledger ── stop
 *   start #2 (same data dir): the same key still works, the ledger still holds 2 units,
 *            a retry of the first event counts nothing; 3 more units flow through ──▶ 5 units
 * </pre>
 */
class LocalPipelineRestartIT {

    private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(90);
    private static final Map<String, Object> SHORT_WINDOWS =
            Map.of("tally.metering.window-size", "PT2S", "tally.metering.grace", "PT1S");

    @Test
    void shouldKeepTenantsUsageAndSchemasAcrossRestart(@TempDir Path dataDir) throws IOException {
        LocalPorts ports = FreePorts.allocate();
        String key;
        try (LocalPipeline first = LocalPipeline.start(dataDir, ports, SHORT_WINDOWS)) {
            TallyClient admin = new TallyClient(first.apiUrl(), first.adminToken());
            String organizationId =
                    admin.createOrganization("Restart IT").path("id").asText();
            key = admin.createApiKey(organizationId, false).path("key").asText();
            TallyClient app = admin.as(key);
            app.createCustomer("cust_r", "Customer R");
            app.postEvent("before-1", "cust_r", "ai_call", new BigDecimal("2"), Instant.now());
            await("usage before the restart")
                    .atMost(PIPELINE_TIMEOUT)
                    .until(() -> app.ledgerQuantity("cust_r", "ai_call").compareTo(new BigDecimal("2")) == 0);
        }

        try (LocalPipeline second = LocalPipeline.start(dataDir, ports, SHORT_WINDOWS)) {
            TallyClient app = new TallyClient(second.apiUrl(), key);
            assertThat(app.ledgerQuantity("cust_r", "ai_call")).isEqualByComparingTo("2");

            // a retry of an event counted before the restart: the dedup state survived, so it counts 0
            app.postEvent("before-1", "cust_r", "ai_call", new BigDecimal("2"), Instant.now());
            app.postEvent("after-1", "cust_r", "ai_call", new BigDecimal("3"), Instant.now());
            await("usage after the restart")
                    .atMost(PIPELINE_TIMEOUT)
                    .until(() -> app.ledgerQuantity("cust_r", "ai_call").compareTo(new BigDecimal("5")) >= 0);
            assertThat(app.ledgerQuantity("cust_r", "ai_call")).isEqualByComparingTo("5");
        }
    }
}
