package dev.tally.platform.kafka;

import dev.tally.schemas.registry.HttpSchemaRegistryClient;
import dev.tally.schemas.registry.SchemaRegistryClient;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.net.URI;

/** The registry client and the topic catalogue every service shares. */
@Factory
class KafkaFactory {

    @Singleton
    SchemaRegistryClient schemaRegistryClient(KafkaSettings settings) {
        return new HttpSchemaRegistryClient(URI.create(settings.schemaRegistryUrl()));
    }

    @Singleton
    Topics topics(KafkaSettings settings, SchemaRegistryClient registry) {
        return Topics.create(settings.topicPrefix(), registry);
    }
}
