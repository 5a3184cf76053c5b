package dev.tally.billing.finality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.ApiCalls.Reply;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /v1/usage-finality} on a real PostgreSQL: the watermarks stored, whether the ledger
 * offsets they need are reached, and the deployment's finality (the topics have 2 partitions).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FinalityApiIT implements TestPropertyProvider {

    private static final Instant T10 = Instant.parse("2026-11-02T10:00:00Z");
    private static final Instant T11 = T10.plusSeconds(3600);

    @Inject
    ApiCalls api;

    @Inject
    BillingDatabase database;

    @Override
    public Map<String, String> getProperties() {
        return TestServer.properties(TestPostgres.shared().createDatabase(), "finality");
    }

    @Test
    void shouldShowEachPartitionsWatermarkAndTheFinalityTheyGiveToAReader() {
        String key = api.newKey(api.newOrganization("Finality"));
        // unknown while partition 1 never reported
        record(0, T11, List.of(0L, 0L));
        Reply partial = api.get(key, "/v1/usage-finality");
        assertThat(partial.code()).as("%s", partial.body()).isEqualTo(200);
        assertThat(partial.body()).containsEntry("finalThrough", null);
        assertThat(partial.body().get("partitions"))
                .isEqualTo(
                        List.of(partition(0, T11.toString(), true, T11.toString()), partition(1, null, false, null)));

        // partition 1's newer watermark needs ledger offsets nobody reached: its older one counts
        record(1, T10, List.of(0L, 0L));
        record(1, T11, List.of(0L, 5L));
        Reply both = api.get(key, "/v1/usage-finality");
        assertThat(both.body()).containsEntry("finalThrough", T10.toString());
        assertThat(ApiCalls.list(both.body().get("partitions")).get(1))
                .isEqualTo(partition(1, T11.toString(), false, T10.toString()));
    }

    @Test
    void shouldAnswerOnlyAKeyThatMayReadBilling() {
        Reply anonymous = api.send(HttpRequest.GET("/v1/usage-finality"));
        assertThat(anonymous.code()).isEqualTo(401);
        String org = api.newOrganization("Usage only");
        String usageKey = (String) api.admin(HttpRequest.POST(
                        "/v1/organizations/" + org + "/api-keys", Map.of("scopes", List.of("usage:write"))))
                .body()
                .get("key");
        assertThat(api.get(usageKey, "/v1/usage-finality").code()).isEqualTo(403);
    }

    private void record(int partition, Instant closedThrough, List<Long> required) {
        database.jdbi()
                .useHandle(h -> h.attach(FinalityDao.class).record(partition, closedThrough, closedThrough, required));
    }

    private static Map<String, Object> partition(
            int partition, String closedThrough, boolean effective, String effectiveThrough) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("partition", partition);
        entry.put("closedThrough", closedThrough);
        entry.put("effective", effective);
        entry.put("effectiveThrough", effectiveThrough);
        return entry;
    }
}
