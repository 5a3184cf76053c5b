package dev.tally.billing.payment;

import dev.tally.billing.account.BillingStateChanges;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceBalance;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceEvents;
import dev.tally.billing.invoice.InvoiceStatus;
import dev.tally.billing.invoice.Payment;
import dev.tally.billing.invoice.PaymentRequest;
import dev.tally.platform.outbox.Outbox;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.avro.PaymentEvent;
import dev.tally.schemas.avro.PaymentEventType;
import dev.tally.schemas.topic.Topics;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies one payment event to billing, idempotently (a redelivered event changes nothing). */
public final class PaymentRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentRecorder.class);

    private final Outbox outbox;
    private final Topics topics;
    private final BillingStateChanges billingStates;
    private final Clock clock;

    /** A recorder whose customers' billing states are read at {@code clock}'s now (the billing clock). */
    public PaymentRecorder(Outbox outbox, Topics topics, Clock clock) {
        this.outbox = outbox;
        this.topics = topics;
        this.billingStates = new BillingStateChanges(outbox, topics);
        this.clock = clock;
    }

    /** A recorder on the system's clock (payment-settler's, which records payments too). */
    public PaymentRecorder(Outbox outbox, Topics topics) {
        this(outbox, topics, Clock.systemUTC());
    }

    /**
     * Applies {@code event} through {@code handle}.
     *
     * @return whether an invoice event was enqueued in the outbox
     */
    public boolean apply(Handle handle, PaymentEvent event) {
        InvoiceDao invoices = new InvoiceDao(handle);
        Optional<Invoice> found = invoices.invoiceForUpdate(event.getInvoiceId());
        if (found.isEmpty() || !found.get().organizationId().equals(event.getOrganizationId())) {
            LOG.error(
                    "payment event {} names invoice {} of organization {}, which billing does not have: ignored",
                    event.getEventId(),
                    event.getInvoiceId(),
                    event.getOrganizationId());
            return false;
        }
        Invoice invoice = found.get();
        if (event.getType() == PaymentEventType.REQUESTED) {
            invoices.upsertPaymentRequest(
                    new PaymentRequest(
                            invoice.id(),
                            event.getPayUri(),
                            event.getMemo(),
                            event.getAmount(),
                            event.getAssetCode(),
                            event.getAssetIssuer(),
                            event.getDestination(),
                            event.getOccurredAt()),
                    event.getEventId());
            return false;
        }
        if (event.getTransactionHash() == null) {
            LOG.error("SETTLED payment event {} has no transaction hash: ignored", event.getEventId());
            return false;
        }
        boolean recorded = invoices.insertPayment(
                new Payment(
                        invoice.id(),
                        event.getTransactionHash(),
                        event.getAmount(),
                        event.getAssetCode(),
                        event.getAssetIssuer(),
                        event.getSourceAccount(),
                        event.getOccurredAt()),
                event.getEventId());
        // credit notes count as settled (the rest is what the payments must cover);
        // an uncollectible invoice paid late becomes paid too; a void one keeps the payment on record only
        boolean payable =
                InvoiceStatus.FINALIZED.is(invoice.status()) || InvoiceStatus.UNCOLLECTIBLE.is(invoice.status());
        if (!recorded
                || !payable
                || !InvoiceBalance.received(
                                invoice, invoices.payments(invoice.id()), invoices.creditedMinor(invoice.id()))
                        .covered()) {
            return false;
        }
        invoices.markPaid(invoice.id(), event.getOccurredAt());
        outbox.enqueue(
                handle,
                topics.invoiceEvents(),
                invoice.id(),
                InvoiceEvents.of(invoice, InvoiceEventType.PAID, event.getOccurredAt())
                        .build());
        // the last invoice past due paid: the customer is active again, in this transaction
        billingStates.settle(handle, invoice.customerId(), invoice.id(), clock.instant());
        return true;
    }
}
