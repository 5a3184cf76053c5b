package dev.tally.schemas.topic;

import dev.tally.schemas.avro.ApiKeyRecord;
import dev.tally.schemas.avro.ApiKeyUsage;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.MeterDefinition;
import dev.tally.schemas.avro.OrganizationSettings;
import dev.tally.schemas.avro.PaymentEvent;
import dev.tally.schemas.avro.RejectedRecord;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.avro.UsageFinality;
import dev.tally.schemas.registry.SchemaRegistryClient;
import dev.tally.schemas.serde.AvroSerde;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The catalogue of the pipeline's topics: the one place topic names and serdes are decided. Keys
 * are UTF-8 strings built by {@link Keys}, so every Kafka tool can read them; values are Avro in
 * the Confluent wire format.
 */
public record Topics(
        Topic<String, UsageEvent> usageEvents,
        Topic<String, UsageAggregate> usageAggregates,
        Topic<String, UsageAggregate> usageCorrections,
        Topic<String, RejectedRecord> usageRejected,
        Topic<String, InvoiceEvent> invoiceEvents,
        Topic<String, PaymentEvent> paymentEvents,
        Topic<String, ApiKeyRecord> apiKeys,
        Topic<String, ApiKeyUsage> apiKeyUsage,
        Topic<String, MeterDefinition> meters,
        Topic<String, OrganizationSettings> organizations,
        Topic<String, UsageFinality> usageFinality) {

    /**
     * The catalogue with every name prefixed by {@code prefix} (may be empty), e.g. {@code "acme."}
     * gives {@code acme.usage-events}.
     */
    public static Topics create(String prefix, SchemaRegistryClient registry) {
        Serde<String> keys = Serdes.String();
        String p = prefix == null ? "" : prefix;
        return new Topics(
                new Topic<>(p + "usage-events", keys, AvroSerde.forValues(registry, UsageEvent.class)),
                new Topic<>(p + "usage-aggregates", keys, AvroSerde.forValues(registry, UsageAggregate.class)),
                new Topic<>(p + "usage-corrections", keys, AvroSerde.forValues(registry, UsageAggregate.class)),
                new Topic<>(p + "usage-rejected", keys, AvroSerde.forValues(registry, RejectedRecord.class)),
                new Topic<>(p + "invoice-events", keys, AvroSerde.forValues(registry, InvoiceEvent.class)),
                new Topic<>(p + "payment-events", keys, AvroSerde.forValues(registry, PaymentEvent.class)),
                new Topic<>(p + "api-keys", keys, AvroSerde.forValues(registry, ApiKeyRecord.class), true),
                new Topic<>(p + "api-key-usage", keys, AvroSerde.forValues(registry, ApiKeyUsage.class), true),
                new Topic<>(p + "meters", keys, AvroSerde.forValues(registry, MeterDefinition.class), true),
                new Topic<>(p + "organizations", keys, AvroSerde.forValues(registry, OrganizationSettings.class), true),
                // one record per usage-events partition is all a reader needs: the latest watermark
                new Topic<>(p + "usage-finality", keys, AvroSerde.forValues(registry, UsageFinality.class), true));
    }

    /** Every topic of the catalogue, for provisioning. */
    public List<Topic<?, ?>> all() {
        return List.of(
                usageEvents,
                usageAggregates,
                usageCorrections,
                usageRejected,
                invoiceEvents,
                paymentEvents,
                apiKeys,
                apiKeyUsage,
                meters,
                organizations,
                usageFinality);
    }
}
