package dev.tally.billing.creditnote;

import dev.tally.billing.BillingException;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.Ids;
import dev.tally.billing.account.BillingStateChanges;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceBalance;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceEvents;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.InvoiceNumber;
import dev.tally.billing.invoice.InvoiceStatus;
import dev.tally.billing.invoice.Payment;
import dev.tally.platform.outbox.Outbox;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Writes a credit note in the caller's transaction ({@link CreditNoteIssuer} runs it in its own): locks the invoice (an open, paid or uncollectible one: else 409 with
 * its status), works out what is credited ({@link CreditAmounts}), takes the next number from the organization's
 * and mode's credit note counter, writes the credit note, and enqueues {@code CREDIT_NOTE_ISSUED} (and {@code
 * REFUND_REQUESTED} for a refund) on invoice-events through the outbox. An open or uncollectible invoice whose
 * payments and credit notes then cover its total becomes paid, with its {@code PAID} event, as a payment makes it
 * (Stripe marks a fully credited invoice paid too): nothing is due on it, and it must not fall overdue.
 */
public final class CreditNoteWriter {

    private final Outbox outbox;
    private final Topics topics;
    private final BillingStateChanges billingStates;

    public CreditNoteWriter(Outbox outbox, Topics topics) {
        this.outbox = outbox;
        this.topics = topics;
        this.billingStates = new BillingStateChanges(outbox, topics);
    }

    /**
     * Issues {@code request} against invoice {@code invoiceId} of the organization and mode at {@code now}, through
     * {@code handle} (in a transaction); returns the note.
     */
    public CreditNote issue(
            Handle handle,
            String organizationId,
            boolean livemode,
            String invoiceId,
            CreditNoteRequest request,
            Instant now) {
        InvoiceDao invoices = new InvoiceDao(handle);
        Invoice invoice = invoices.invoiceForUpdate(organizationId, livemode, invoiceId)
                .orElseThrow(() -> BillingException.notFound("invoice " + invoiceId));
        boolean open = InvoiceStatus.FINALIZED.is(invoice.status()) || InvoiceStatus.UNCOLLECTIBLE.is(invoice.status());
        if (!open && !InvoiceStatus.PAID.is(invoice.status())) {
            throw BillingException.stateConflict(
                    ErrorCode.INVOICE_STATE_CONFLICT,
                    "invoice " + invoice.id() + " is " + invoice.status()
                            + ": only an open, paid or uncollectible invoice takes a credit note",
                    invoice.status());
        }
        long creditedBefore = invoices.creditedMinor(invoice.id());
        long creditable = invoice.totalMinor() - creditedBefore;
        if (creditable <= 0) {
            throw new BillingException(
                    ErrorCode.INVOICE_FULLY_CREDITED,
                    "invoice " + invoice.id() + " is credited in full: nothing is left to credit");
        }
        CreditNoteDao notes = handle.attach(CreditNoteDao.class);
        List<CreditAmounts.Credited> lines = List.of();
        long amount;
        if (!request.lines().isEmpty()) {
            Map<String, InvoiceLine> invoiceLines = invoices.lines(invoice.id()).stream()
                    .collect(Collectors.toMap(InvoiceLine::id, Function.identity()));
            Map<String, CreditNoteDao.LineCredited> already = notes.creditedLines(invoice.id()).stream()
                    .collect(Collectors.toMap(CreditNoteDao.LineCredited::invoiceLineId, Function.identity()));
            lines = CreditAmounts.byLines(request.lines(), invoiceLines, already, creditable, invoice.currency());
            amount = lines.stream()
                    .mapToLong(CreditAmounts.Credited::amountMinor)
                    .sum();
        } else if (request.amount() != null) {
            amount = CreditAmounts.byAmount(request.amountMinor(invoice.currency()), creditable, invoice.currency());
        } else {
            amount = creditable;
        }

        return write(
                handle,
                invoice,
                creditedBefore,
                new Issue(request.reason(), request.outcome(), request.memo(), amount, lines, null),
                now);
    }

    /**
     * What a credit note credits, worked out: its reason, outcome and memo, its amount, its lines (empty: by amount)
     * and, for a note billing issues for late usage, what it corrects (null otherwise).
     */
    record Issue(
            CreditNoteReason reason,
            CreditNoteOutcome outcome,
            String memo,
            long amountMinor,
            List<CreditAmounts.Credited> lines,
            UsageCorrection correction) {}

    /**
     * The invoice line whose usage a late-usage credit note corrects, and the quantity it takes off its period; for
     * a note of the billing cycle, the planner key of the adjustment it replaces and what the span then stands at
     * (else null and 0).
     */
    record UsageCorrection(
            String lineId,
            BigDecimal quantity,
            String plannedKey,
            BigDecimal plannedQuantity,
            long plannedEventCount) {}

    /**
     * Writes {@code issue} against {@code invoice} (locked by the caller, open, paid or uncollectible, credited
     * {@code creditedBefore} so far): its number, its lines, its events, and the invoice paid when nothing is
     * left due on it.
     */
    CreditNote write(Handle handle, Invoice invoice, long creditedBefore, Issue issue, Instant now) {
        InvoiceDao invoices = new InvoiceDao(handle);
        CreditNoteDao notes = handle.attach(CreditNoteDao.class);
        String organizationId = invoice.organizationId();
        boolean livemode = invoice.livemode();
        boolean open = InvoiceStatus.FINALIZED.is(invoice.status()) || InvoiceStatus.UNCOLLECTIBLE.is(invoice.status());
        String id = Ids.next("cn");
        long amount = issue.amountMinor();
        List<CreditAmounts.Credited> lines = issue.lines();
        // what is still due: of an uncollectible invoice too (written off, yet payable); nothing of a paid one
        List<Payment> payments = invoices.payments(invoice.id());
        long due = open
                ? InvoiceBalance.received(invoice, payments, creditedBefore).dueMinor()
                : 0;
        CreditAmounts.Split split = CreditAmounts.split(amount, due);

        CreditNoteCounterDao counters = handle.attach(CreditNoteCounterDao.class);
        CreditNoteCounterDao.Counter counter = counters.lock(organizationId, livemode);
        CreditNote note = new CreditNote(
                id,
                InvoiceNumber.ofCreditNote(counter.invoicePrefix(), livemode, now, counter.nextNumber()),
                organizationId,
                livemode,
                invoice.id(),
                invoice.number(),
                invoice.customerId(),
                invoice.customerExternalId(),
                invoice.currency(),
                issue.reason().text(),
                issue.outcome().text(),
                issue.memo(),
                amount,
                split.prePaymentMinor(),
                split.postPaymentMinor(),
                now,
                issue.correction() == null ? null : issue.correction().lineId(),
                issue.correction() == null ? null : issue.correction().quantity());
        if (issue.correction() != null && issue.correction().plannedKey() != null) {
            UsageCorrection c = issue.correction();
            notes.insertPlanned(note, counter.nextNumber(), c.plannedKey(), c.plannedQuantity(), c.plannedEventCount());
        } else {
            notes.insert(note, counter.nextNumber());
        }
        counters.advance(organizationId, livemode);
        List<CreditNoteLine> noteLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            CreditAmounts.Credited line = lines.get(i);
            noteLines.add(new CreditNoteLine(id, i, line.invoiceLineId(), line.quantity(), line.amountMinor()));
        }
        if (!noteLines.isEmpty()) {
            notes.insertLines(noteLines);
        }

        enqueueIssued(handle, invoice, note, now);
        if (open
                && InvoiceBalance.received(invoice, payments, creditedBefore + amount)
                        .covered()) {
            invoices.markPaid(invoice.id(), now);
            Invoice paid =
                    invoices.invoice(organizationId, livemode, invoice.id()).orElseThrow();
            outbox.enqueue(
                    handle,
                    topics.invoiceEvents(),
                    invoice.id(),
                    InvoiceEvents.of(paid, InvoiceEventType.PAID, now).build());
            // as a payment does: the last invoice past due settled, the customer is active again
            billingStates.settle(handle, invoice.customerId(), invoice.id(), now);
        }
        return notes.find(organizationId, livemode, id).orElseThrow();
    }

    private void enqueueIssued(Handle handle, Invoice invoice, CreditNote note, Instant now) {
        outbox.enqueue(
                handle,
                topics.invoiceEvents(),
                invoice.id(),
                event(invoice, note, InvoiceEventType.CREDIT_NOTE_ISSUED, now)
                        .setCreditedMinor(note.amountMinor())
                        .setCreditNoteReason(note.reason())
                        .setCreditNoteOutcome(note.outcome())
                        .build());
        if (note.refundMinor() > 0) {
            outbox.enqueue(
                    handle,
                    topics.invoiceEvents(),
                    invoice.id(),
                    event(invoice, note, InvoiceEventType.REFUND_REQUESTED, now).build());
        }
    }

    private static InvoiceEvent.Builder event(Invoice invoice, CreditNote note, InvoiceEventType type, Instant now) {
        return InvoiceEvents.of(invoice, type, now)
                .setEventId(InvoiceEvents.creditNoteEventId(note.id(), type))
                .setCreditNoteId(note.id())
                .setCreditNoteNumber(note.number())
                .setRefundMinor(note.refundMinor());
    }
}
