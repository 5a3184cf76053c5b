package dev.tally.billing.invoice;

import dev.tally.billing.BillingDatabase;
import dev.tally.platform.outbox.Outbox;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Writes finalized invoices in the caller's transaction, for the period close and the billing cycle alike:
 * the draft, its lines in the order given, its total (the sum of its lines, which the database checks again
 * as the invoice leaves draft) and its {@code InvoiceEvent FINALIZED} in the outbox, published only after the commit. Numbers
 * come from the organization's counter, which the caller holds locked.
 */
public final class InvoiceIssuer {

    private final Outbox outbox;
    private final Topic<String, InvoiceEvent> events;

    public InvoiceIssuer(BillingDatabase database, Topics topics) {
        this.outbox = database.outbox();
        this.events = topics.invoiceEvents();
    }

    /** The number of the organization's {@code n}th invoice: {@code INV-000001}. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "INV-%06d", n);
    }

    /** Inserts {@code draft}; its lines follow through the answer. */
    public Writing open(Handle handle, InvoiceDraft draft) {
        new InvoiceDao(handle).insertDraft(draft);
        return new Writing(handle, draft);
    }

    /** An invoice to write whole: its draft and its lines, in order, and their sum. */
    public record Issue(InvoiceDraft draft, List<InvoiceLine> lines, long totalMinor) {

        /**
         * {@code draft} with {@code lines} (each of it).
         *
         * @throws AmountTooLargeException if the total does not fit a {@code long}
         */
        public static Issue of(InvoiceDraft draft, List<InvoiceLine> lines) {
            long total = 0;
            for (InvoiceLine line : lines) {
                if (!line.invoiceId().equals(draft.id())) {
                    throw new IllegalArgumentException("line " + line.id() + " is of invoice " + line.invoiceId());
                }
                total = addToTotal(total, line.amountMinor());
            }
            return new Issue(draft, List.copyOf(lines), total);
        }
    }

    /**
     * Writes {@code invoices} finalized at {@code now}, as {@link #open}, {@link Writing#add} and {@link
     * Writing#finish} would one by one, in a few batched statements (drafts, lines, totals, events).
     */
    public void issueAll(Handle handle, List<Issue> invoices, Instant now) {
        InvoiceDao dao = new InvoiceDao(handle);
        dao.insertDrafts(invoices.stream().map(Issue::draft).toList());
        dao.insertLines(
                invoices.stream().flatMap(invoice -> invoice.lines().stream()).toList());
        dao.finalizeDrafts(
                invoices.stream().map(invoice -> invoice.draft().id()).toList(),
                invoices.stream().map(Issue::totalMinor).toList(),
                now);
        outbox.enqueueAll(
                handle,
                events,
                invoices.stream()
                        .map(invoice ->
                                Map.entry(invoice.draft().id(), finalized(invoice.draft(), invoice.totalMinor(), now)))
                        .toList());
    }

    private static long addToTotal(long total, long amountMinor) {
        try {
            return Math.addExact(total, amountMinor);
        } catch (ArithmeticException e) {
            throw new AmountTooLargeException("the invoice total exceeds " + Long.MAX_VALUE + " minor units");
        }
    }

    /** The {@code InvoiceEvent FINALIZED} of {@code draft} finalized at {@code now} with {@code totalMinor}. */
    private static InvoiceEvent finalized(InvoiceDraft draft, long totalMinor, Instant now) {
        return InvoiceEvent.newBuilder()
                .setEventId("invoice|" + draft.id() + "|finalized")
                .setType(InvoiceEventType.FINALIZED)
                .setInvoiceId(draft.id())
                .setInvoiceNumber(draft.number())
                .setOrganizationId(draft.organizationId())
                .setCustomerId(draft.customerExternalId())
                .setLivemode(draft.livemode())
                .setCurrency(draft.currency())
                .setTotalMinor(totalMinor)
                .setPeriodStart(draft.period().start())
                .setPeriodEnd(draft.period().end())
                .setOccurredAt(now)
                .build();
    }

    /** An invoice being written: add its lines, then {@link #finish} it. */
    public final class Writing {

        private final Handle handle;
        private final InvoiceDraft draft;
        private long totalMinor;
        private int lines;

        private Writing(Handle handle, InvoiceDraft draft) {
            this.handle = handle;
            this.draft = draft;
        }

        /** The sum of the lines added so far. */
        public long totalMinor() {
            return totalMinor;
        }

        /**
         * Adds {@code line} (of this invoice) after the others.
         *
         * @throws AmountTooLargeException if the total no longer fits a {@code long}
         */
        public void add(InvoiceLine line) {
            if (!line.invoiceId().equals(draft.id())) {
                throw new IllegalArgumentException("line " + line.id() + " is of invoice " + line.invoiceId());
            }
            totalMinor = addToTotal(totalMinor, line.amountMinor());
            new InvoiceDao(handle).insertLine(line, ++lines);
        }

        /** Finalizes the invoice at {@code now} with the sum of its lines and enqueues its event; returns it. */
        public Invoice finish(Instant now) {
            InvoiceDao invoices = new InvoiceDao(handle);
            invoices.finalizeDraft(draft.id(), totalMinor, now);
            InvoiceEvent event = finalized(draft, totalMinor, now);
            outbox.enqueue(handle, events, draft.id(), event);
            return invoices.invoice(draft.organizationId(), draft.livemode(), draft.id())
                    .orElseThrow();
        }
    }
}
