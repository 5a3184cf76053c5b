package dev.tally.platform.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * Where the pipeline's Kafka and schema registry are, and how its topics are named and sized.
 * Set with {@code tally.kafka.*} properties or {@code TALLY_KAFKA_*} environment variables.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param schemaRegistryUrl base URL of a Confluent-compatible schema registry
 * @param topicPrefix prepended to every topic name (empty by default)
 * @param partitions partitions of topics created by the pipeline; the unit SREs scale
 * @param replicationFactor replication factor of topics created by the pipeline
 * @param provisionTopics whether services create missing topics at start-up
 */
@ConfigurationProperties("tally.kafka")
public record KafkaSettings(
        @Bindable(defaultValue = "localhost:19092") @NotBlank String bootstrapServers,
        @Bindable(defaultValue = "http://localhost:18081") @NotBlank String schemaRegistryUrl,
        @Bindable(defaultValue = "") String topicPrefix,
        @Bindable(defaultValue = "6") @Min(1) int partitions,
        @Bindable(defaultValue = "1") @Min(1) short replicationFactor,
        @Bindable(defaultValue = "true") boolean provisionTopics) {

    public KafkaSettings {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
    }
}
