package dev.tally.billing;

import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.outbox.OutboxRelay;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * Runs the relay of the {@code billing} outbox: invoice events and API-key records reach Kafka
 * only after the transaction that enqueued them committed.
 */
@Context
public final class BillingOutboxRelay {

    private final OutboxRelay relay;

    public BillingOutboxRelay(BillingDatabase database, BillingSettings settings, KafkaClientProperties clients) {
        this.relay = settings.workersEnabled()
                ? database.outboxRelay(
                        clients,
                        settings.consumerGroup() + "-outbox",
                        settings.outboxPollInterval(),
                        settings.outboxBatchSize())
                : null;
    }

    @PostConstruct
    void start() {
        if (relay != null) {
            relay.start();
        }
    }

    /** Publishes promptly what a just-committed transaction enqueued. */
    public void wakeUp() {
        if (relay != null) {
            relay.wakeUp();
        }
    }

    @PreDestroy
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }
}
