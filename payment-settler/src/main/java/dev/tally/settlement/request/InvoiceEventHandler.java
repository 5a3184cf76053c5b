package dev.tally.settlement.request;

import dev.tally.platform.offsets.BatchHandler;
import dev.tally.platform.outbox.Outbox;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topics;
import dev.tally.settlement.PaymentEvents;
import dev.tally.settlement.SettlementException;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each FINALIZED invoice with a positive total into a payment request and enqueues its
 * REQUESTED event, in the transaction that also stores the consumed offsets. A redelivered invoice
 * event finds its request already there and changes nothing. A VOIDED invoice's open request is
 * withdrawn, so no later payment settles it; the other types (PAID, UNCOLLECTIBLE, which stays payable,
 * OVERDUE, and UNKNOWN: a type newer than this reader) change nothing here.
 */
public final class InvoiceEventHandler implements BatchHandler<String, InvoiceEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(InvoiceEventHandler.class);

    private final Outbox outbox;
    private final Topics topics;
    private final SettlementAsset asset;
    private final String destination;
    private final String networkPassphrase;
    private final Clock clock;
    private final Runnable afterCommit;

    /**
     * @param afterCommit run once a batch that enqueued events committed (wakes the outbox relay)
     */
    public InvoiceEventHandler(
            Outbox outbox,
            Topics topics,
            SettlementAsset asset,
            String destination,
            String networkPassphrase,
            Clock clock,
            Runnable afterCommit) {
        this.outbox = outbox;
        this.topics = topics;
        this.asset = asset;
        this.destination = destination;
        this.networkPassphrase = networkPassphrase;
        this.clock = clock;
        this.afterCommit = afterCommit;
    }

    @Override
    public void handle(Handle handle, ConsumerRecords<String, InvoiceEvent> batch) {
        PaymentRequestDao requests = new PaymentRequestDao(handle);
        boolean enqueued = false;
        for (ConsumerRecord<String, InvoiceEvent> record : batch) {
            InvoiceEvent invoice = record.value();
            if (invoice != null && invoice.getType() == InvoiceEventType.FINALIZED && invoice.getTotalMinor() > 0) {
                enqueued |= request(handle, requests, invoice);
            } else if (invoice != null
                    && invoice.getType() == InvoiceEventType.VOIDED
                    && requests.markWithdrawn(invoice.getInvoiceId(), clock.instant())) {
                LOG.info("invoice {} voided: its payment request is withdrawn", invoice.getInvoiceId());
            }
        }
        if (enqueued) {
            handle.afterCommit(afterCommit);
        }
    }

    private boolean request(Handle handle, PaymentRequestDao requests, InvoiceEvent invoice) {
        PaymentRequest request;
        try {
            request = PaymentRequest.forInvoice(invoice, asset, destination, networkPassphrase, clock.instant());
        } catch (SettlementException | IllegalArgumentException e) {
            // IllegalArgumentException: an unknown ISO 4217 currency code
            LOG.error("invoice {} cannot be asked for on Stellar: {}", invoice.getInvoiceId(), e.getMessage());
            requests.insertUnpayable(
                    invoice.getInvoiceId(), invoice.getOrganizationId(), e.getMessage(), clock.instant());
            return false;
        }
        if (!requests.insert(request)) {
            return false;
        }
        outbox.enqueue(handle, topics.paymentEvents(), request.invoiceId(), PaymentEvents.requested(request));
        LOG.info(
                "invoice {}: payment request for {} {} with memo {}",
                request.invoiceId(),
                request.amount().toPlainString(),
                request.asset().code(),
                request.memo());
        return true;
    }
}
