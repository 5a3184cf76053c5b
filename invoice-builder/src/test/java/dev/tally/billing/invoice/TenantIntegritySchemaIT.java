package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingFixtures;
import java.time.Instant;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schema itself keeps tenants apart (V27), whatever writes to it: plain SQL naming another organization's
 * or mode's row is refused, while the same statement naming the tenant's own row is accepted (so each refusal is
 * the tenant rule, not some other constraint). Closed periods of an organization and mode never overlap, and
 * payments and closed periods never change.
 *
 * <p>Tenants: {@code a} (org_a, test mode), {@code b} (org_b, test mode) and {@code alive} (org_a, live mode), each
 * with a customer, a product, a price, a subscription, a closed period and draft invoices of the period and of the
 * subscription.
 */
class TenantIntegritySchemaIT {

    private static final Instant MAY = Instant.parse("2026-05-01T00:00:00Z");
    private static final Instant JUN = Instant.parse("2026-06-01T00:00:00Z");

    private BillingFixtures fixtures;
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        fixtures = BillingFixtures.migrated();
        jdbi = fixtures.jdbi();
        jdbi.useTransaction(h -> {
            h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_a', 'Acme'), ('org_b', 'Beta')");
            for (String[] tenant :
                    new String[][] {{"a", "org_a", "false"}, {"b", "org_b", "false"}, {"alive", "org_a", "true"}}) {
                String t = tenant[0];
                String org = tenant[1];
                boolean live = Boolean.parseBoolean(tenant[2]);
                h.execute(
                        "INSERT INTO billing.customers (id, organization_id, livemode, external_id) VALUES (?, ?, ?, ?)",
                        "cus_" + t,
                        org,
                        live,
                        "ext_" + t);
                h.execute(
                        "INSERT INTO billing.products (id, organization_id, livemode, feature_key) VALUES (?, ?, ?, 'f')",
                        "prod_" + t,
                        org,
                        live);
                insertPrice(h, "price_" + t, org, live, "prod_" + t);
                h.execute(
                        "INSERT INTO billing.subscriptions (id, organization_id, livemode, customer_id, currency,"
                                + " interval, interval_count, start_at, time_zone)"
                                + " VALUES (?, ?, ?, ?, 'USD', 'month', 1, ?, 'UTC')",
                        "sub_" + t,
                        org,
                        live,
                        "cus_" + t,
                        MAY);
                h.execute(
                        "INSERT INTO billing.billing_periods (id, organization_id, livemode, period_start, period_end)"
                                + " VALUES (?, ?, ?, ?, ?)",
                        periodId(t),
                        org,
                        live,
                        MAY,
                        JUN);
                insertInvoice(h, "inv_" + t, org, live, "cus_" + t, periodId(t), null);
                insertInvoice(h, "inv_sub_" + t, org, live, "cus_" + t, null, "sub_" + t);
            }
            h.execute("SELECT setval(pg_get_serial_sequence('billing.billing_periods', 'id'), 100)");
        });
    }

    private static long periodId(String tenant) {
        return switch (tenant) {
            case "a" -> 1;
            case "b" -> 2;
            default -> 3;
        };
    }

    private static void insertPrice(Handle h, String id, String org, boolean live, String product) {
        h.execute(
                "INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, unit_amount, model,"
                        + " definition) VALUES (?, ?, ?, ?, 'USD', 1, 'per_unit', '{}')",
                id,
                org,
                live,
                product);
    }

    private static void insertInvoice(
            Handle h, String id, String org, boolean live, String customer, Long period, String subscription) {
        h.execute(
                "INSERT INTO billing.invoices (id, organization_id, livemode, customer_id, billing_period_id,"
                        + " subscription_id, currency, period_start, period_end, status)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 'USD', ?, ?, 'draft')",
                id,
                org,
                live,
                customer,
                period,
                subscription,
                MAY,
                JUN);
    }

    private void accepted(String sql, Object... args) {
        assertThatCode(() -> jdbi.useHandle(h -> h.execute(sql, args))).doesNotThrowAnyException();
    }

    private void refused(String violation, String sql, Object... args) {
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(sql, args))).hasMessageContaining(violation);
    }

    @Test
    void shouldRefuseAPriceOfAnotherTenantsProduct() {
        String price = "INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, unit_amount,"
                + " model, definition) VALUES (?, 'org_a', false, ?, 'USD', 1, 'per_unit', '{}')";
        refused("prices_product_of_tenant", price, "price_x1", "prod_b");
        refused("prices_product_of_tenant", price, "price_x2", "prod_alive");
        accepted(price, "price_x3", "prod_a");
    }

    @Test
    void shouldRefuseASubscriptionOfAnotherTenantsCustomer() {
        String subscription = "INSERT INTO billing.subscriptions (id, organization_id, livemode, customer_id, currency,"
                + " interval, interval_count, start_at, time_zone) VALUES (?, 'org_a', false, ?, 'USD', 'month', 1,"
                + " '2026-05-01T00:00:00Z', 'UTC')";
        refused("subscriptions_customer_of_tenant", subscription, "sub_x1", "cus_b");
        refused("subscriptions_customer_of_tenant", subscription, "sub_x2", "cus_alive");
        accepted(subscription, "sub_x3", "cus_a");
    }

    @Test
    void shouldRefuseAnInvoiceOfAnotherTenantsCustomerPeriodOrSubscription() {
        jdbi.useHandle(h -> {
            assertThatThrownBy(() -> insertInvoice(h, "inv_x1", "org_a", false, "cus_b", 1L, null))
                    .hasMessageContaining("invoices_customer_of_tenant");
            assertThatThrownBy(() -> insertInvoice(h, "inv_x2", "org_a", false, "cus_alive", 1L, null))
                    .hasMessageContaining("invoices_customer_of_tenant");
            assertThatThrownBy(() -> insertInvoice(h, "inv_x3", "org_a", false, "cus_a", 2L, null))
                    .hasMessageContaining("invoices_billing_period_of_tenant");
            assertThatThrownBy(() -> insertInvoice(h, "inv_x4", "org_a", false, "cus_a", 3L, null))
                    .hasMessageContaining("invoices_billing_period_of_tenant");
            assertThatThrownBy(() -> insertInvoice(h, "inv_x5", "org_a", false, "cus_a", null, "sub_b"))
                    .hasMessageContaining("invoices_subscription_of_tenant");
            assertThatThrownBy(() -> insertInvoice(h, "inv_x6", "org_a", false, "cus_a", null, "sub_alive"))
                    .hasMessageContaining("invoices_subscription_of_tenant");
            assertThatCode(() -> insertInvoice(h, "inv_x7", "org_a", false, "cus_a", 1L, null))
                    .doesNotThrowAnyException();
            assertThatCode(() -> insertInvoice(h, "inv_x8", "org_a", false, "cus_a", null, "sub_a"))
                    .doesNotThrowAnyException();
        });
    }

    @Test
    void shouldRefuseALineWithAnotherTenantsPriceOrAnotherSubscription() {
        String closeLine = "INSERT INTO billing.invoice_lines (id, invoice_id, price_id, feature_key, quantity,"
                + " unit_amount, amount_minor) VALUES (?, 'inv_a', ?, 'f', 1, 1, 100)";
        refused("names a price or subscription that is not of its invoice", closeLine, "il_x1", "price_b");
        refused("names a price or subscription that is not of its invoice", closeLine, "il_x2", "price_alive");
        accepted(closeLine, "il_x3", "price_a");
        String cycleLine = "INSERT INTO billing.invoice_lines (id, invoice_id, kind, price_id, quantity, unit_amount,"
                + " amount_minor, subscription_id, line_key, item_id, event_count, description, usage_start, usage_end)"
                + " VALUES (?, 'inv_sub_a', 'flat_fee', 'price_a', 1, 1, 100, ?, ?, 'si_1', 0, 'fee',"
                + " '2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z')";
        refused("names a price or subscription that is not of its invoice", cycleLine, "il_x4", "sub_b", "k4");
        accepted(cycleLine, "il_x5", "sub_a", "k5");
        // an update cannot move a line's price to another tenant's either
        refused(
                "names a price or subscription that is not of its invoice",
                "UPDATE billing.invoice_lines SET price_id = 'price_b' WHERE id = 'il_x3'");
    }

    @Test
    void shouldRefuseToBillALedgerRowOnALineOfAnotherTenantsInvoice() {
        accepted("INSERT INTO billing.invoice_lines (id, invoice_id, price_id, feature_key, quantity, unit_amount,"
                + " amount_minor) VALUES ('il_a', 'inv_a', 'price_a', 'f', 1, 1, 100)");
        fixtures.ledgerRow("row_b", "org_b", "ext_b", "f", MAY, "1");
        fixtures.ledgerRow("row_a", "org_a", "ext_a", "f", MAY, "1");

        refused(
                "of another organization or mode",
                "UPDATE billing.usage_ledger SET invoice_line_id = 'il_a' WHERE aggregate_id IN ('row_a', 'row_b')");
        accepted("UPDATE billing.usage_ledger SET invoice_line_id = 'il_a' WHERE aggregate_id = 'row_a'");
    }

    @Test
    void shouldRefuseASubscriptionItemAtAnotherTenantsPrice() {
        String item = "INSERT INTO billing.subscription_item_changes (subscription_id, item_id, at, price_id, quantity)"
                + " VALUES ('sub_a', ?, '2026-05-01T00:00:00Z', ?, 1)";
        refused("names a price of another organization or mode", item, "si_x1", "price_b");
        refused("names a price of another organization or mode", item, "si_x2", "price_alive");
        accepted(item, "si_x3", "price_a");
        refused(
                "names a price of another organization or mode",
                "UPDATE billing.subscription_item_changes SET price_id = 'price_b' WHERE item_id = 'si_x3'");
    }

    @Test
    void shouldRefuseABillingPeriodOverlappingAClosedOneOfTheSameOrganizationAndMode() {
        String period = "INSERT INTO billing.billing_periods (organization_id, livemode, period_start, period_end)"
                + " VALUES (?, ?, CAST(? AS timestamptz), CAST(? AS timestamptz))";
        refused(
                "billing_periods_do_not_overlap",
                period,
                "org_a",
                false,
                "2026-05-31T00:00:00Z",
                "2026-06-30T00:00:00Z");
        refused(
                "billing_periods_do_not_overlap",
                period,
                "org_a",
                false,
                "2026-05-10T00:00:00Z",
                "2026-05-11T00:00:00Z");
        // adjacent periods do not overlap ([start, end)); other tenants' periods are theirs (all three tenants closed
        // May in setUp)
        accepted(period, "org_a", false, "2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z");
        accepted(period, "org_b", false, "2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z");
    }

    @Test
    void shouldRefuseToChangeOrRemoveAPaymentOrAClosedPeriod() {
        accepted("INSERT INTO billing.invoice_payments (invoice_id, event_id, transaction_hash, amount, asset_code,"
                + " paid_at) VALUES ('inv_a', 'e1', 'tx1', 1, 'USDC', now())");

        refused("rows are immutable", "UPDATE billing.invoice_payments SET amount = 2");
        refused("rows are immutable", "DELETE FROM billing.invoice_payments");
        refused(
                "rows are immutable",
                "UPDATE billing.billing_periods SET period_end = '2026-07-01T00:00:00Z' WHERE id = 1");
        accepted("INSERT INTO billing.billing_periods (id, organization_id, livemode, period_start, period_end)"
                + " VALUES (9, 'org_b', false, '2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z')");
        refused("rows are immutable", "DELETE FROM billing.billing_periods WHERE id = 9");
    }
}
