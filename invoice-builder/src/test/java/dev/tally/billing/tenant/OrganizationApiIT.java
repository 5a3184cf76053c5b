package dev.tally.billing.tenant;

import static dev.tally.billing.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.billing.TestServer;
import dev.tally.platform.database.Migrations;
import dev.tally.schemas.avro.OrganizationSettings;
import dev.tally.schemas.avro.UnknownFeaturePolicy;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The organization's unknown-feature setting through the API, and its publication. The database
 * starts with an organization created before settings existed (schema at V3), to show that the
 * application publishes its settings once at start-up.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrganizationApiIT implements TestPropertyProvider {

    private static final String LEGACY =
            "org_legacy_" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    Topics topics;

    @Inject
    TenantService tenants;

    @Inject
    Jdbi jdbi;

    @Inject
    ApiCalls api;

    @Override
    public Map<String, String> getProperties() {
        TestPostgres.Database db = TestPostgres.shared().createDatabase();
        Migrations.migrate(db.dataSource(), BillingSettings.SCHEMA, "3");
        Jdbi.create(db.dataSource())
                .useHandle(h -> h.execute("INSERT INTO billing.organizations (id, name) VALUES (?, 'Legacy')", LEGACY));
        return TestServer.properties(db, "orgs");
    }

    @Test
    void shouldPublishTheSettingsOfAnOrganizationCreatedBeforeThemOnceAtStartUp() {
        List<OrganizationSettings> records = ApiCalls.awaitRecords(
                topics.organizations(), s -> s.getOrganizationId().equals(LEGACY), 1);
        assertThat(records.getFirst().getUnknownFeature()).isEqualTo(UnknownFeaturePolicy.ACCEPT_AS_SUM);
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + LEGACY)).body())
                .containsEntry("unknownFeature", "accept_as_sum")
                .containsEntry("timeZone", "UTC");

        // a second start-up step (another instance, a restart) finds nothing left to publish
        assertThat(tenants.publishMissingSettings()).isZero();
        assertThat(outboxRecordsOf(LEGACY)).isEqualTo(1);
    }

    @Test
    void shouldCreateWithTheDefaultPolicyPatchItAndPublishEachChange() {
        ApiCalls.Reply created = api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "Acme")));
        assertThat(created.code()).isEqualTo(201);
        assertThat(created.body()).containsEntry("unknownFeature", "accept_as_sum");
        String org = (String) created.body().get("id");

        ApiCalls.Reply patched =
                api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("unknownFeature", "reject")));
        assertThat(patched.code()).isEqualTo(200);
        assertThat(patched.body()).containsEntry("unknownFeature", "reject").containsEntry("name", "Acme");
        // a change of name only, and a patch to the same policy, publish nothing
        assertThat(api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("name", "Acme Corp")))
                        .body())
                .containsEntry("name", "Acme Corp")
                .containsEntry("unknownFeature", "reject");
        api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("unknown_feature", "reject")));
        api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("unknownFeature", "accept_as_sum")));

        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + org)).body())
                .containsEntry("id", org)
                .containsEntry("name", "Acme Corp")
                .containsEntry("unknownFeature", "accept_as_sum");
        List<OrganizationSettings> records = ApiCalls.awaitRecords(
                topics.organizations(), s -> s.getOrganizationId().equals(org), 3);
        assertThat(records)
                .extracting(OrganizationSettings::getUnknownFeature)
                .containsExactly(
                        UnknownFeaturePolicy.ACCEPT_AS_SUM,
                        UnknownFeaturePolicy.REJECT,
                        UnknownFeaturePolicy.ACCEPT_AS_SUM);
        assertThat(outboxRecordsOf(org)).isEqualTo(3);
    }

    @Test
    void shouldCreateAnOrganizationThatRejectsUnknownFeatures() {
        ApiCalls.Reply created =
                api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "Strict", "unknownFeature", "reject")));

        assertThat(created.body()).containsEntry("unknownFeature", "reject");
        String org = (String) created.body().get("id");
        assertThat(ApiCalls.awaitRecords(
                        topics.organizations(), s -> s.getOrganizationId().equals(org), 1))
                .extracting(OrganizationSettings::getOrganizationId, OrganizationSettings::getUnknownFeature)
                .containsExactly(tuple(org, UnknownFeaturePolicy.REJECT));
    }

    @Test
    void shouldRejectABadPolicyAndAnswerLikeTheOtherAdminEndpoints() {
        String org = api.newOrganization("Checked");

        assertError(
                api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "x", "unknownFeature", "ignore"))),
                400,
                "invalid_request",
                "unknownFeature");
        assertError(
                api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("unknownFeature", "drop"))),
                400,
                "invalid_request",
                "unknownFeature");
        assertError(
                api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("name", " "))),
                400,
                "invalid_request",
                "name");
        assertError(
                api.admin(HttpRequest.PATCH("/v1/organizations/org_missing", Map.of("unknownFeature", "reject"))),
                404,
                "not_found",
                null);
        assertError(api.admin(HttpRequest.GET("/v1/organizations/org_missing")), 404, "not_found", null);
        assertError(
                api.send(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("unknownFeature", "reject"))
                        .bearerAuth("wrong")),
                401,
                "invalid_admin_token",
                null);
        assertError(api.send(HttpRequest.GET("/v1/organizations/" + org)), 401, "missing_credentials", null);
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + org)).body())
                .containsEntry("unknownFeature", "accept_as_sum");
    }

    @Test
    void shouldKeepAnIanaTimeZoneUtcByDefaultWithoutPublishingIt() {
        ApiCalls.Reply utc = api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "Zoned")));
        String org = (String) utc.body().get("id");
        ApiCalls.Reply paris =
                api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "Paris", "timeZone", "europe/paris")));

        ApiCalls.Reply patched =
                api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("timeZone", "America/New_York")));

        assertThat(utc.body()).containsEntry("timeZone", "UTC");
        assertThat(paris.body()).containsEntry("timeZone", "Europe/Paris");
        assertThat(patched.code()).isEqualTo(200);
        assertThat(patched.body())
                .containsEntry("timeZone", "America/New_York")
                .containsEntry("name", "Zoned")
                .containsEntry("unknownFeature", "accept_as_sum");
        assertThat(patched.body().get("updatedAt")).isNotEqualTo(utc.body().get("updatedAt"));
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + org)).body())
                .containsEntry("timeZone", "America/New_York");
        // the zone is billing's own: only the creation's settings went to the outbox
        assertThat(outboxRecordsOf(org)).isEqualTo(1);
        for (String refused : List.of("+02:00", "UTC+2", "Mars/Olympus", "")) {
            assertError(
                    api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("timeZone", refused))),
                    400,
                    "invalid_request",
                    "timeZone");
            assertError(
                    api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "x", "timeZone", refused))),
                    400,
                    "invalid_request",
                    "timeZone");
        }
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + org)).body())
                .containsEntry("timeZone", "America/New_York");
    }

    /**
     * The invoice prefix: derived from the name unless given, validated, changed by a PATCH without publishing it,
     * and read at each finalization, so an invoice keeps the number it was given while later ones take the new
     * prefix (a period close of November before the change, of December after it).
     */
    @Test
    void shouldDeriveValidateAndChangeTheInvoicePrefixForLaterInvoicesOnly() {
        ApiCalls.Reply derived = api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "Acme Corp.")));
        ApiCalls.Reply given = api.admin(
                HttpRequest.POST("/v1/organizations", Map.of("name", "Acme Corp.", "invoicePrefix", "AC2026")));
        assertThat(derived.body()).containsEntry("invoicePrefix", "ACMECORP");
        assertThat(given.body()).containsEntry("invoicePrefix", "AC2026");
        assertThat(api.admin(HttpRequest.GET("/v1/organizations/" + LEGACY)).body())
                .as("organizations of before V27 got theirs in the migration")
                .containsEntry("invoicePrefix", "LEGACY");
        String org = (String) derived.body().get("id");
        for (String refused : List.of("AC", "ABCDEFGHIJKLM", "acme", "AC-ME", "")) {
            assertError(
                    api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("invoicePrefix", refused))),
                    400,
                    "invalid_request",
                    "invoicePrefix");
            assertError(
                    api.admin(HttpRequest.POST("/v1/organizations", Map.of("name", "x", "invoicePrefix", refused))),
                    400,
                    "invalid_request",
                    "invoicePrefix");
        }

        String key = api.newKey(org);
        BillingFixtures fixtures = BillingFixtures.on(jdbi);
        fixtures.catalog(org, "cus_1", "c1", "storage", "price_1", new BigDecimal("0.25"));
        fixtures.subscribe(org, "cus_1", "price_1");
        fixtures.ledgerRow("nov", org, "c1", "storage", Instant.parse("2026-11-03T00:00:00Z"), "10");
        Map<?, ?> november = onlyInvoice(api.post(
                key,
                "/v1/billing-periods/close",
                Map.of("periodStart", "2026-11-01T00:00:00Z", "periodEnd", "2026-12-01T00:00:00Z")));

        ApiCalls.Reply patched =
                api.admin(HttpRequest.PATCH("/v1/organizations/" + org, Map.of("invoicePrefix", "NEWCO")));
        fixtures.ledgerRow("dec", org, "c1", "storage", Instant.parse("2026-12-03T00:00:00Z"), "10");
        Map<?, ?> december = onlyInvoice(api.post(
                key,
                "/v1/billing-periods/close",
                Map.of("periodStart", "2026-12-01T00:00:00Z", "periodEnd", "2027-01-01T00:00:00Z")));

        assertThat(patched.code()).isEqualTo(200);
        assertThat(patched.body()).containsEntry("invoicePrefix", "NEWCO").containsEntry("name", "Acme Corp.");
        assertThat(november.get("number"))
                .isEqualTo(InvoiceFixtures.testModeNumber(
                        "ACMECORP", Instant.parse((String) november.get("finalizedAt")), 1));
        assertThat(december.get("number"))
                .as("the sequence of the organization and mode goes on under the new prefix")
                .isEqualTo(InvoiceFixtures.testModeNumber(
                        "NEWCO", Instant.parse((String) december.get("finalizedAt")), 2));
        assertThat(api.get(key, "/v1/invoices/" + november.get("id")).body())
                .as("an invoice keeps its number")
                .containsEntry("number", november.get("number"));
        // the prefix is billing's own: only the creation's settings went to the outbox
        assertThat(outboxRecordsOf(org)).isEqualTo(1);
    }

    private static Map<?, ?> onlyInvoice(ApiCalls.Reply closed) {
        assertThat(closed.code()).as("%s", closed.body()).isEqualTo(201);
        List<?> invoices = (List<?>) closed.body().get("invoices");
        assertThat(invoices).hasSize(1);
        return (Map<?, ?>) invoices.getFirst();
    }

    private long outboxRecordsOf(String org) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT count(*) FROM billing.outbox WHERE topic = :topic AND record_key = :org")
                        .bind("topic", topics.organizations().name())
                        .bind("org", org)
                        .mapTo(Long.class)
                        .one());
    }
}
