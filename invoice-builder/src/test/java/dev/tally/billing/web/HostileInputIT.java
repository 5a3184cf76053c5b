package dev.tally.billing.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.TestServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every case of {@code hostile/billing-corpus.tsv} against the real server and PostgreSQL: each gets
 * its status, error code and field, no answer shows SQL, a stack trace or a key hash, and (checked
 * last) none of them wrote a row.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT implements TestPropertyProvider {

    /** What an answer must never show: SQL, JDBI/PostgreSQL/Java exception text, a SHA-256 hex digest. */
    private static final Pattern LEAK = Pattern.compile(
            "(?i)select |insert into|update billing|billing\\.|jdbi|postgres|psql|exception|\\bat [a-z]+\\.|[0-9a-f]{64}");

    @Inject
    EmbeddedServer server;

    @Inject
    ApiCalls api;

    @Inject
    JsonMapper json;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestPostgres.Database database;
    private String organization;
    private String key;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        return TestServer.properties(database, "hostile");
    }

    @BeforeAll
    void createTheCorpusOrganization() {
        organization = api.newOrganization("corpus");
        key = api.newKey(organization);
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> shouldAnswerEveryHostileInputWithItsErrorAndLeakNothing() {
        List<HostileCorpus.Case> cases = HostileCorpus.read("/hostile/billing-corpus.tsv", organization);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    @Test
    @Order(2)
    void shouldRefuseAMillionDigitExponentInWellUnderASecond() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> answer = send(new HostileCorpus.Case(
                "1e1000000",
                "key",
                "POST",
                "/v1/prices",
                "application/json",
                "{\"product\":\"prod_x\",\"unitAmount\":\"1e1000000\"}".getBytes(StandardCharsets.UTF_8),
                400,
                "invalid_request",
                "unitAmount"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(took).as("time to refuse 1e1000000 (was ~100 s of CPU)").isLessThan(Duration.ofSeconds(1));
    }

    @Test
    @Order(3)
    void shouldHaveWrittenNoRowForAnyCaseOfTheCorpus() throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : List.of(
                    "customers", "products", "prices", "subscriptions", "meters", "billing_periods", "invoices")) {
                assertThat(count(statement, "SELECT count(*) FROM billing." + table))
                        .as("rows in %s", table)
                        .isZero();
            }
            assertThat(count(statement, "SELECT count(*) FROM billing.organizations"))
                    .as("organizations (the corpus's own)")
                    .isEqualTo(1);
            assertThat(count(statement, "SELECT count(*) FROM billing.api_keys"))
                    .as("API keys (the corpus's own)")
                    .isEqualTo(1);
            assertThat(count(
                            statement,
                            "SELECT count(*) FROM billing.organizations WHERE name LIKE '%HOSTILE%'"
                                    + " OR name <> 'corpus'"))
                    .isZero();
        }
    }

    private void check(HostileCorpus.Case c) throws Exception {
        HttpResponse<String> answer = send(c);
        String body = answer.body();
        assertThat(body).as("answer to %s", c.name()).doesNotContainPattern(LEAK);
        assertThat(answer.statusCode()).as("status of %s: %s", c.name(), body).isEqualTo(c.status());
        if (c.code() == null) {
            return;
        }
        Map<String, Object> answered = json.readValue(body, Argument.mapOf(String.class, Object.class));
        assertThat(answered.get("error")).as("error of %s: %s", c.name(), body).isInstanceOf(Map.class);
        Map<?, ?> error = (Map<?, ?>) answered.get("error");
        assertThat(error.get("code")).as("code of %s: %s", c.name(), body).isEqualTo(c.code());
        assertThat((String) error.get("message")).as("message of %s", c.name()).isNotBlank();
        assertThat(error.get("field")).as("field of %s: %s", c.name(), body).isEqualTo(c.field());
    }

    private HttpResponse<String> send(HostileCorpus.Case c) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURL() + c.path()))
                .timeout(Duration.ofSeconds(30))
                .method(
                        c.method(),
                        c.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        switch (c.auth()) {
            case "key" -> request.header("Authorization", "Bearer " + key);
            case "admin" -> request.header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
            case "sql" -> request.header("Authorization", "Bearer ' OR '1'='1");
            case "none" -> {}
            default -> throw new IllegalArgumentException("unknown auth " + c.auth());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
