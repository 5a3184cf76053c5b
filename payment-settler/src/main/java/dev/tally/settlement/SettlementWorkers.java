package dev.tally.settlement;

import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.platform.offsets.TransactionalConsumerLoop;
import dev.tally.platform.outbox.OutboxRelay;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.topic.Topics;
import dev.tally.settlement.request.InvoiceEventHandler;
import dev.tally.settlement.request.SettlementAsset;
import dev.tally.settlement.watch.HorizonWatcher;
import dev.tally.settlement.watch.PaymentRecorder;
import dev.tally.settlement.watch.StellarPayments;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs payment-settler's three workers from start-up to shutdown: the invoice-events consumer
 * (payment requests), the Horizon watcher (settlements) and the relay of the {@code settlement}
 * outbox (payment events). Settings are checked first, so a bad one stops the application at once.
 */
@Context
public final class SettlementWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementWorkers.class);

    private final SettlementSettings settings;
    private final SettlementDatabase database;
    private final Topics topics;
    private final KafkaClientProperties clients;
    private final StellarPayments stellar;
    private final Clock clock;
    private final SettlementAsset asset;
    private OutboxRelay relay;
    private TransactionalConsumerLoop<String, InvoiceEvent> invoices;
    private HorizonWatcher watcher;

    public SettlementWorkers(
            SettlementSettings settings,
            SettlementDatabase database,
            Topics topics,
            KafkaClientProperties clients,
            StellarPayments stellar,
            @Named(SettlementFactory.CLOCK) Clock clock) {
        this.settings = settings;
        this.database = database;
        this.topics = topics;
        this.clients = clients;
        this.stellar = stellar;
        this.clock = clock;
        this.asset = SettlementConfig.asset(settings);
        SettlementConfig.checkReceivingAccount(settings);
    }

    @PostConstruct
    void start() {
        if (!settings.workersEnabled()) {
            return;
        }
        SettlementConfig.checkNetwork(settings, stellar);
        relay = database.outboxRelay(
                clients,
                settings.consumerGroup() + "-outbox",
                settings.outboxPollInterval(),
                settings.outboxBatchSize());
        relay.start();
        invoices = database.consumerLoop(
                clients,
                settings.consumerGroup(),
                settings.consumerGroup() + "-invoices",
                List.of(topics.invoiceEvents()),
                new InvoiceEventHandler(
                        database.outbox(),
                        topics,
                        asset,
                        settings.receivingAccount(),
                        settings.networkPassphrase(),
                        clock,
                        relay::wakeUp),
                settings.retryBackoff());
        invoices.start();
        watcher = new HorizonWatcher(
                database.jdbi(),
                stellar,
                new PaymentRecorder(database.outbox(), topics),
                settings.receivingAccount(),
                settings.pageLimit(),
                settings.pollInterval(),
                settings.retryBackoff(),
                clock,
                relay::wakeUp);
        watcher.start();
        LOG.info(
                "settling invoices in {} paid to {} on {}",
                asset.code(),
                settings.receivingAccount(),
                settings.horizonUrl());
    }

    @PreDestroy
    void stop() {
        // stop the producers of outbox rows first, so the relay's last round sees all of them
        if (watcher != null) {
            watcher.close();
        }
        if (invoices != null) {
            invoices.close();
        }
        if (relay != null) {
            relay.close();
        }
    }
}
