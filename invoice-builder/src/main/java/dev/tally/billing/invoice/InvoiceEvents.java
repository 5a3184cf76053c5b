package dev.tally.billing.invoice;

import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import java.time.Instant;
import java.util.Locale;

/**
 * The {@code InvoiceEvent}s of an invoice's transitions, one per invoice and type: the event id is the
 * invoice's and the type's, so a transition enqueued twice is one event to its consumers.
 */
public final class InvoiceEvents {

    private InvoiceEvents() {}

    /** The id of {@code invoiceId}'s event of {@code type}: {@code invoice|inv_1|voided}. */
    public static String eventId(String invoiceId, InvoiceEventType type) {
        return "invoice|" + invoiceId + "|" + type.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The id of credit note {@code creditNoteId}'s event of {@code type} (an invoice has many credit notes):
     * {@code credit_note|cn_1|refund_requested}.
     */
    public static String creditNoteEventId(String creditNoteId, InvoiceEventType type) {
        return "credit_note|" + creditNoteId + "|" + type.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The event of {@code type} about {@code invoice} as it stands after the transition, at {@code at};
     * the caller sets what only its type carries (a reason, out of band).
     */
    public static InvoiceEvent.Builder of(Invoice invoice, InvoiceEventType type, Instant at) {
        return InvoiceEvent.newBuilder()
                .setEventId(eventId(invoice.id(), type))
                .setType(type)
                .setInvoiceId(invoice.id())
                .setInvoiceNumber(invoice.number())
                .setOrganizationId(invoice.organizationId())
                .setCustomerId(invoice.customerExternalId())
                .setLivemode(invoice.livemode())
                .setCurrency(invoice.currency())
                .setTotalMinor(invoice.totalMinor())
                .setPeriodStart(invoice.periodStart())
                .setPeriodEnd(invoice.periodEnd())
                .setOccurredAt(at)
                .setDueAt(invoice.dueAt());
    }
}
