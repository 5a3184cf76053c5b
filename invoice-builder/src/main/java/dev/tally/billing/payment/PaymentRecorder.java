package dev.tally.billing.payment;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.Payment;
import dev.tally.billing.invoice.PaymentRequest;
import dev.tally.platform.outbox.Outbox;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.avro.PaymentEvent;
import dev.tally.schemas.avro.PaymentEventType;
import dev.tally.schemas.rules.Currencies;
import dev.tally.schemas.topic.Topics;
import java.math.BigDecimal;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies one payment event to billing, idempotently (a redelivered event changes nothing). */
public final class PaymentRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentRecorder.class);

    private final Outbox outbox;
    private final Topics topics;

    public PaymentRecorder(Outbox outbox, Topics topics) {
        this.outbox = outbox;
        this.topics = topics;
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
        if (!recorded || !"finalized".equals(invoice.status()) || !covered(invoices, invoice)) {
            return false;
        }
        invoices.markPaid(invoice.id(), event.getOccurredAt());
        outbox.enqueue(
                handle,
                topics.invoiceEvents(),
                invoice.id(),
                InvoiceEvent.newBuilder()
                        .setEventId("invoice|" + invoice.id() + "|paid")
                        .setType(InvoiceEventType.PAID)
                        .setInvoiceId(invoice.id())
                        .setInvoiceNumber(invoice.number())
                        .setOrganizationId(invoice.organizationId())
                        .setCustomerId(invoice.customerExternalId())
                        .setLivemode(invoice.livemode())
                        .setCurrency(invoice.currency())
                        .setTotalMinor(invoice.totalMinor())
                        .setPeriodStart(invoice.periodStart())
                        .setPeriodEnd(invoice.periodEnd())
                        .setOccurredAt(event.getOccurredAt())
                        .build());
        return true;
    }

    /** Whether the invoice's payments (1 asset unit = 1 currency unit) cover its total. */
    private static boolean covered(InvoiceDao invoices, Invoice invoice) {
        int digits = Currencies.minorDigits(invoice.currency());
        BigDecimal paid =
                invoices.payments(invoice.id()).stream().map(Payment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return paid.movePointRight(digits).compareTo(BigDecimal.valueOf(invoice.totalMinor())) >= 0;
    }
}
