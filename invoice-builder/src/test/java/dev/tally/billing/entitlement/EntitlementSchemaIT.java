package dev.tally.billing.entitlement;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingFixtures;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database guards entitlements (V35), whatever writes them: plain SQL is refused for a row with another type's
 * columns or without its own, a negative limit, a second entitlement of a customer to a feature, and a row naming
 * another tenant's customer; the rows within the rules are accepted, so each refusal is the rule.
 */
class EntitlementSchemaIT {

    private Jdbi jdbi;
    private int sequence;

    @BeforeEach
    void setUp() {
        jdbi = BillingFixtures.migrated().jdbi();
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_a', 'Acme'), ('org_b', 'Beta')");
            h.execute("INSERT INTO billing.customers (id, organization_id, livemode, external_id) VALUES"
                    + " ('cus_a', 'org_a', false, 'ext_a'), ('cus_b', 'org_b', false, 'ext_b')");
        });
    }

    private void insert(
            String org,
            String customer,
            String feature,
            String type,
            String limit,
            String period,
            Boolean hard,
            Boolean enabled,
            String config) {
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO billing.entitlements (id, organization_id, livemode, customer_id, feature_key, type,"
                        + " usage_limit, usage_period, hard_limit, enabled, config, created_at) VALUES"
                        + " (?, ?, false, ?, ?, ?, CAST(? AS numeric), ?, ?, ?, CAST(? AS jsonb), now())",
                "ent_" + (++sequence),
                org,
                customer,
                feature,
                type,
                limit,
                period,
                hard,
                enabled,
                config));
    }

    @Test
    void shouldAcceptEachTypeWithItsOwnColumns() {
        assertThatCode(() -> {
                    insert("org_a", "cus_a", "ai_call", "metered", "100", "day", true, null, null);
                    insert("org_a", "cus_a", "sso", "boolean", null, null, null, false, null);
                    insert("org_a", "cus_a", "plan", "static", null, null, null, null, "{\"tier\": \"gold\"}");
                })
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseColumnsOfAnotherTypeOrMissingOnes() {
        assertThatThrownBy(() -> insert("org_a", "cus_a", "ai_call", "metered", null, "day", true, null, null))
                .hasMessageContaining("entitlements_metered_columns");
        assertThatThrownBy(() -> insert("org_a", "cus_a", "sso", "boolean", "10", null, null, true, null))
                .hasMessageContaining("entitlements_metered_columns");
        assertThatThrownBy(() -> insert("org_a", "cus_a", "sso", "boolean", null, null, null, null, null))
                .hasMessageContaining("entitlements_boolean_columns");
        assertThatThrownBy(() -> insert("org_a", "cus_a", "plan", "static", null, null, null, null, "[1]"))
                .hasMessageContaining("entitlements_config_object");
        assertThatThrownBy(() -> insert("org_a", "cus_a", "plan", "static", null, null, null, true, "{}"))
                .hasMessageContaining("entitlements_boolean_columns");
        assertThatThrownBy(() -> insert("org_a", "cus_a", "x", "quota", null, null, null, null, null))
                .hasMessageContaining("entitlements_type_known");
    }

    @Test
    void shouldRefuseANegativeLimitAndAnUnknownPeriod() {
        assertThatThrownBy(() -> insert("org_a", "cus_a", "ai_call", "metered", "-1", "day", true, null, null))
                .hasMessageContaining("entitlements_limit_not_negative");
        assertThatThrownBy(() -> insert("org_a", "cus_a", "ai_call", "metered", "1", "year", true, null, null))
                .hasMessageContaining("entitlements_usage_period_known");
    }

    @Test
    void shouldKeepOneEntitlementPerCustomerAndFeature() {
        insert("org_a", "cus_a", "sso", "boolean", null, null, null, true, null);

        assertThatThrownBy(() -> insert("org_a", "cus_a", "sso", "boolean", null, null, null, false, null))
                .hasMessageContaining("entitlements_one_per_feature");
    }

    @Test
    void shouldRefuseARowNamingAnotherTenantsCustomer() {
        assertThatThrownBy(() -> insert("org_a", "cus_b", "sso", "boolean", null, null, null, true, null))
                .hasMessageContaining("foreign key");
    }
}
