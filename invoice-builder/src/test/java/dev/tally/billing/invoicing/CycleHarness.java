package dev.tally.billing.invoicing;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.MutableClock;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.PeriodClose;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.kafka.KafkaSettings;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.SchemaRegistryServer;
import dev.tally.testkit.TestPostgres;
import io.micronaut.serde.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * A fresh billing database with the billing cycle's writer and the period close on it (no Kafka: the outbox is
 * only filled), a catalog to subscribe to and a clock the test sets. Organization {@code org_1}, customer
 * {@code cus_1} (external id {@code acme}, UTC); prices {@code price_pro} (Pro plan, 49.00 a month in advance),
 * {@code price_team} (Team plan, 99.00 a month in advance) and {@code price_calls} (API calls on {@code
 * ai_call}, graduated: the first 1,000 at 0.02, up to 10,000 at 0.01, beyond at 0.005).
 */
final class CycleHarness {

    static final String ORG = "org_1";
    static final String CUSTOMER = "acme";

    final Jdbi jdbi;
    final BillingDatabase database;
    final BillingFixtures fixtures;
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    final BillingOutboxRelay relay;
    final Topics topics;
    final SubscriptionInvoicing invoicing;
    final PeriodClose periodClose;

    CycleHarness() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        database = new BillingDatabase(
                dataSource,
                Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin()));
        jdbi = database.jdbi();
        fixtures = BillingFixtures.on(jdbi);
        topics = Topics.create(
                "cycle-" + UUID.randomUUID() + ".",
                SchemaRegistryServer.shared().client());
        BillingSettings settings = new BillingSettings(
                "admin", "g", Duration.ofMillis(100), 10, Duration.ofMillis(100), false, Duration.ofMinutes(1));
        KafkaClientProperties clients = new KafkaClientProperties(
                new KafkaSettings("localhost:1", SchemaRegistryServer.shared().url(), "", 1, (short) 1, false));
        relay = new BillingOutboxRelay(database, settings, clients);
        invoicing = new SubscriptionInvoicing(
                database, relay, topics, new StoredPriceDefinitions(ObjectMapper.getDefault()), clock);
        periodClose = new PeriodClose(database, relay, topics, new StoredPriceDefinitions(ObjectMapper.getDefault()));
        catalog();
    }

    private void catalog() {
        jdbi.useHandle(h -> {
            // the cycle finalizes what it writes at once (delay 0): these tests are of the invoices it issues
            h.execute(
                    "INSERT INTO billing.organizations (id, name, auto_finalize_delay_seconds) VALUES (?, 'Acme', 0)",
                    ORG);
            h.execute(
                    "INSERT INTO billing.customers (id, organization_id, livemode, external_id) VALUES"
                            + " ('cus_1', ?, false, ?)",
                    ORG,
                    CUSTOMER);
            h.execute("INSERT INTO billing.products (id, organization_id, livemode, type, name) VALUES"
                    + " ('prod_plan', 'org_1', false, 'recurring', 'Pro plan'),"
                    + " ('prod_team', 'org_1', false, 'recurring', 'Team plan')");
            h.execute("INSERT INTO billing.products (id, organization_id, livemode, feature_key, name) VALUES"
                    + " ('prod_calls', 'org_1', false, 'ai_call', 'API calls')");
        });
        price(
                "price_pro",
                "prod_plan",
                "flat",
                "{\"currency\":\"USD\",\"model\":\"flat\",\"flatAmount\":\"49.00\","
                        + "\"interval\":\"month\",\"intervalCount\":1,\"billingTiming\":\"in_advance\"}");
        price(
                "price_team",
                "prod_team",
                "flat",
                "{\"currency\":\"USD\",\"model\":\"flat\",\"flatAmount\":\"99.00\","
                        + "\"interval\":\"month\",\"intervalCount\":1,\"billingTiming\":\"in_advance\"}");
        price(
                "price_calls",
                "prod_calls",
                "graduated",
                "{\"currency\":\"USD\",\"model\":\"graduated\",\"tiers\":["
                        + "{\"upTo\":\"1000\",\"unitAmount\":\"0.02\",\"flatAmount\":null},"
                        + "{\"upTo\":\"10000\",\"unitAmount\":\"0.01\",\"flatAmount\":null},"
                        + "{\"upTo\":null,\"unitAmount\":\"0.005\",\"flatAmount\":null}],"
                        + "\"interval\":\"month\",\"intervalCount\":1,\"billingTiming\":\"in_arrears\"}");
    }

    /** A price of the organization, stored as the price API stores it (a per_unit one with its unit amount). */
    void price(String id, String product, String model, String definition) {
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, model, definition,"
                        + " unit_amount) VALUES (?, 'org_1', false, ?, 'USD', ?, CAST(? AS jsonb),"
                        + " CAST(CAST(? AS jsonb) ->> 'unitAmount' AS numeric))",
                id,
                product,
                model,
                definition,
                definition));
    }

    /**
     * Subscription {@code id} of the customer, monthly in USD from {@code start} (UTC), with items {@code
     * itemAndPrice} (item id, price id, … pairs, quantity 1 each) from the start, due at its start.
     */
    void subscribe(String id, Instant start, String... itemAndPrice) {
        jdbi.useTransaction(h -> {
            h.execute(
                    "INSERT INTO billing.subscriptions (id, organization_id, livemode, customer_id, currency,"
                            + " interval, interval_count, start_at, time_zone, next_plan_at)"
                            + " VALUES (?, 'org_1', false, 'cus_1', 'USD', 'month', 1, ?, 'UTC', ?)",
                    id,
                    start,
                    start);
            for (int i = 0; i < itemAndPrice.length; i += 2) {
                h.execute(
                        "INSERT INTO billing.subscription_item_changes (subscription_id, item_id, at, price_id,"
                                + " quantity) VALUES (?, ?, ?, ?, 1)",
                        id,
                        itemAndPrice[i],
                        start,
                        itemAndPrice[i + 1]);
            }
        });
    }

    /** A window of {@code quantity} API calls ({@code events} events) starting at {@code windowStart}. */
    String calls(Instant windowStart, String quantity, long events) {
        return fixtures.statement(ORG, CUSTOMER, "ai_call", windowStart)
                .quantity(quantity)
                .events(events)
                .insert();
    }

    List<Invoice> invoicesOf(String subscriptionId) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT id FROM billing.invoices WHERE subscription_id = :s" + " ORDER BY number")
                        .bind("s", subscriptionId)
                        .mapTo(String.class)
                        .map(id -> new InvoiceDao(h).invoice(ORG, false, id).orElseThrow())
                        .list());
    }

    List<InvoiceLine> lines(Invoice invoice) {
        return jdbi.withHandle(h -> new InvoiceDao(h).lines(invoice.id()));
    }

    /** The id of the line that billed ledger row {@code aggregateId}; null while un-billed. */
    String billingLineOf(String aggregateId) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT invoice_line_id FROM billing.usage_ledger WHERE aggregate_id = :id")
                        .bind("id", aggregateId)
                        .mapTo(String.class)
                        .one());
    }

    Instant nextPlanAt(String subscriptionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT next_plan_at FROM billing.subscriptions WHERE id = :id")
                .bind("id", subscriptionId)
                .mapTo(Instant.class)
                .one());
    }

    long outboxEvents() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM billing.outbox")
                .mapTo(Long.class)
                .one());
    }
}
