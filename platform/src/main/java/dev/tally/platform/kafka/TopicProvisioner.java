package dev.tally.platform.kafka;

import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's missing topics when a service starts, so that a fresh cluster works
 * without a separate set-up step. Existing topics are left as they are (never re-partitioned:
 * see the README on adding partitions).
 */
@Context
@Requires(property = "tally.kafka.provision-topics", notEquals = "false")
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private final KafkaSettings settings;
    private final KafkaClientProperties clients;
    private final Topics topics;

    public TopicProvisioner(KafkaSettings settings, KafkaClientProperties clients, Topics topics) {
        this.settings = settings;
        this.clients = clients;
        this.topics = topics;
    }

    private NewTopic newTopic(Topic<?, ?> topic) {
        NewTopic created = new NewTopic(topic.name(), settings.partitions(), settings.replicationFactor());
        return topic.compacted() ? created.configs(Map.of("cleanup.policy", "compact")) : created;
    }

    @PostConstruct
    void provision() {
        try (Admin admin = Admin.create(clients.admin())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.all().stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(this::newTopic)
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot create the pipeline's topics on " + settings.bootstrapServers() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
