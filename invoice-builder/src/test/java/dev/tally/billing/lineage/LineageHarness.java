package dev.tally.billing.lineage;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.MutableClock;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.PeriodClose;
import dev.tally.billing.invoicing.SubscriptionInvoicing;
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
 * A fresh billing database with both writers of invoices (the billing cycle and the period close, no Kafka:
 * the outbox is only filled), lineage and verification on it. Organization {@code org_1}, test mode.
 */
final class LineageHarness {

    static final String ORG = "org_1";

    final Jdbi jdbi;
    final BillingFixtures fixtures;
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    final SubscriptionInvoicing invoicing;
    final PeriodClose periodClose;
    final InvoiceLineage lineage;
    final InvoiceVerifier verifier;

    LineageHarness() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        BillingDatabase database = new BillingDatabase(
                dataSource,
                Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin()));
        jdbi = database.jdbi();
        fixtures = BillingFixtures.on(jdbi);
        Topics topics = Topics.create(
                "lineage-" + UUID.randomUUID() + ".",
                SchemaRegistryServer.shared().client());
        BillingSettings settings = new BillingSettings(
                "admin", "g", Duration.ofMillis(100), 10, Duration.ofMillis(100), false, Duration.ofMinutes(1));
        KafkaClientProperties clients = new KafkaClientProperties(
                new KafkaSettings("localhost:1", SchemaRegistryServer.shared().url(), "", 1, (short) 1, false));
        BillingOutboxRelay relay = new BillingOutboxRelay(database, settings, clients);
        StoredPriceDefinitions definitions = new StoredPriceDefinitions(ObjectMapper.getDefault());
        invoicing = new SubscriptionInvoicing(database, relay, topics, definitions, clock);
        periodClose = new PeriodClose(database, relay, topics, definitions);
        lineage = new InvoiceLineage(database);
        verifier = new InvoiceVerifier(database, definitions);
    }

    /** A price of org_1 stored as the price API stores it (a per_unit one with its unit amount). */
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

    List<InvoiceLine> lines(Invoice invoice) {
        return jdbi.withHandle(h -> new InvoiceDao(h).lines(invoice.id()));
    }

    InvoiceLine line(Invoice invoice, LineKind kind) {
        return lines(invoice).stream()
                .filter(line -> line.kind() == kind)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " line on " + lines(invoice)));
    }

    Verification verify(Invoice invoice) {
        return verifier.verify(ORG, false, invoice.id());
    }
}
