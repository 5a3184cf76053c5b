package dev.tally.billing.invoice;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingFixtures;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.catalog.StoredPriceDefinitions;
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

/** A fresh billing database with a {@link PeriodClose} on it (no Kafka: the outbox is only filled). */
final class CloseHarness {

    final Jdbi jdbi;
    final BillingFixtures fixtures;
    final PeriodClose periodClose;
    final Topics topics;

    CloseHarness() {
        this(TestPostgres.shared().createDatabase().dataSource());
    }

    /** On {@code dataSource}, migrated now if it is not yet. */
    CloseHarness(DataSource dataSource) {
        BillingDatabase database = new BillingDatabase(
                dataSource,
                Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin()));
        jdbi = database.jdbi();
        fixtures = BillingFixtures.on(jdbi);
        topics = Topics.create(
                "close-" + UUID.randomUUID() + ".",
                SchemaRegistryServer.shared().client());
        BillingSettings settings = new BillingSettings(
                "admin", "g", Duration.ofMillis(100), 10, Duration.ofMillis(100), false, Duration.ofMinutes(1));
        KafkaClientProperties clients = new KafkaClientProperties(
                new KafkaSettings("localhost:1", SchemaRegistryServer.shared().url(), "", 1, (short) 1, false));
        periodClose = new PeriodClose(
                database,
                new BillingOutboxRelay(database, settings, clients),
                topics,
                new StoredPriceDefinitions(ObjectMapper.getDefault()));
    }

    /** Closes {@code [start, end)} of org_1 (test mode) and returns its only invoice. */
    Invoice closeOne(String start, String end) {
        List<Invoice> invoices = periodClose
                .close("org_1", false, Instant.parse(start), Instant.parse(end))
                .invoices();
        if (invoices.size() != 1) {
            throw new AssertionError("expected one invoice, got " + invoices);
        }
        return invoices.getFirst();
    }

    List<InvoiceLine> lines(Invoice invoice) {
        return jdbi.withHandle(h -> new InvoiceDao(h).lines(invoice.id()));
    }

    List<String> unbilledAggregates() {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT aggregate_id FROM billing.usage_ledger WHERE invoice_line_id IS NULL")
                        .mapTo(String.class)
                        .list());
    }
}
