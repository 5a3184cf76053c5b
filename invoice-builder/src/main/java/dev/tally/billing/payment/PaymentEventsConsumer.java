package dev.tally.billing.payment;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.BillingSettings;
import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.offsets.TransactionalConsumerLoop;
import dev.tally.schemas.avro.PaymentEvent;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jdbi.v3.core.Handle;

/**
 * Reads payment-events into billing: REQUESTED stores how to pay the invoice, SETTLED records the
 * Stellar payment once (by transaction hash) and marks the invoice paid when its payments cover
 * the total. Offsets commit in the same transaction as those rows.
 */
@Context
public final class PaymentEventsConsumer {

    private final TransactionalConsumerLoop<String, PaymentEvent> loop;
    private final PaymentRecorder recorder;
    private final BillingOutboxRelay relay;

    public PaymentEventsConsumer(
            BillingDatabase database,
            BillingSettings settings,
            KafkaClientProperties clients,
            Topics topics,
            BillingOutboxRelay relay,
            @Named(BillingClock.NAME) Clock clock) {
        this.recorder = new PaymentRecorder(database.outbox(), topics, clock);
        this.relay = relay;
        String group = settings.consumerGroup() + "-payments";
        this.loop = settings.workersEnabled()
                ? database.consumerLoop(
                        clients, group, group, List.of(topics.paymentEvents()), this::apply, settings.retryBackoff())
                : null;
    }

    private void apply(Handle handle, ConsumerRecords<String, PaymentEvent> batch) {
        boolean enqueued = false;
        for (var record : batch) {
            if (record.value() != null) {
                enqueued |= recorder.apply(handle, record.value());
            }
        }
        if (enqueued) {
            // the relay's next round runs after this transaction committed or finds nothing new
            relay.wakeUp();
        }
    }

    @PostConstruct
    void start() {
        if (loop != null) {
            loop.start();
        }
    }

    @PreDestroy
    void stop() {
        if (loop != null) {
            loop.close();
        }
    }
}
