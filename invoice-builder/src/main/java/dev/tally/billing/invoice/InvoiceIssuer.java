package dev.tally.billing.invoice;

import dev.tally.billing.BillingDatabase;
import dev.tally.platform.outbox.Outbox;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Writes finalized invoices in the caller's transaction, for the period close and the billing cycle alike:
 * the draft, its lines in the order given, its total (the sum of its lines, which the database checks again
 * as the invoice leaves draft) and its {@code InvoiceEvent FINALIZED} in the outbox, published only after the
 * commit. Numbers ({@link InvoiceNumber}) come from the organization's counter of the invoice's mode ({@link
 * InvoiceCounterDao}): the period close holds it
 * from its start ({@link #open} takes a numbered draft), the billing cycle locks it only to finalize ({@link
 * #finalizeAll}).
 */
public final class InvoiceIssuer {

    private final Outbox outbox;
    private final Topic<String, InvoiceEvent> events;

    public InvoiceIssuer(BillingDatabase database, Topics topics) {
        this.outbox = database.outbox();
        this.events = topics.invoiceEvents();
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
     * Writes {@code invoices} as drafts without numbers, with their lines, in two batched statements; {@link
     * #finalizeAll} numbers and finalizes them, as late in the transaction as the caller can (it locks the
     * organizations' invoice counters until the commit).
     */
    public void draftAll(Handle handle, List<Issue> invoices) {
        InvoiceDao dao = new InvoiceDao(handle);
        dao.insertDrafts(invoices.stream().map(Issue::draft).toList());
        dao.insertLines(
                invoices.stream().flatMap(invoice -> invoice.lines().stream()).toList());
    }

    /**
     * Numbers the drafts {@link #draftAll} wrote, in their order, from their organizations' counters (locked here
     * in id order until the transaction ends), finalizes them at {@code now} with their totals and enqueues their
     * events. Returns each invoice's number, by invoice id.
     */
    public Map<String, String> finalizeAll(Handle handle, List<Issue> invoices, Instant now) {
        if (invoices.isEmpty()) {
            return Map.of();
        }
        InvoiceCounterDao counters = handle.attach(InvoiceCounterDao.class);
        Map<CounterKey, InvoiceCounterDao.Counter> locked = new TreeMap<>(CounterKey.ORDER);
        invoices.forEach(invoice -> locked.put(CounterKey.of(invoice.draft()), null));
        List<CounterKey> keys = List.copyOf(locked.keySet());
        counters.lock(
                        keys.stream().map(CounterKey::organizationId).toList(),
                        keys.stream().map(CounterKey::livemode).toList())
                .forEach(counter -> locked.put(new CounterKey(counter.organizationId(), counter.livemode()), counter));
        Map<CounterKey, Long> next = new TreeMap<>(CounterKey.ORDER);
        locked.forEach((key, counter) -> next.put(key, counter.nextNumber()));
        Map<String, String> numbers = new LinkedHashMap<>();
        for (Issue invoice : invoices) {
            CounterKey key = CounterKey.of(invoice.draft());
            long n = next.merge(key, 1L, Long::sum) - 1;
            numbers.put(invoice.draft().id(), locked.get(key).number(now, n));
        }
        Map<String, Instant> dueDates = new InvoiceDao(handle)
                .finalizeDrafts(
                        invoices.stream().map(invoice -> invoice.draft().id()).toList(),
                        invoices.stream().map(Issue::totalMinor).toList(),
                        List.copyOf(numbers.values()),
                        now);
        outbox.enqueueAll(
                handle,
                events,
                invoices.stream()
                        .map(invoice -> Map.entry(
                                invoice.draft().id(),
                                finalized(
                                        invoice.draft(),
                                        numbers.get(invoice.draft().id()),
                                        invoice.totalMinor(),
                                        dueDates.get(invoice.draft().id()),
                                        now)))
                        .toList());
        counters.advance(
                keys.stream().map(CounterKey::organizationId).toList(),
                keys.stream().map(CounterKey::livemode).toList(),
                keys.stream().map(next::get).toList());
        return numbers;
    }

    /** A counter: an organization and a mode, in the order counters are locked in. */
    private record CounterKey(String organizationId, boolean livemode) {
        static final Comparator<CounterKey> ORDER =
                Comparator.comparing(CounterKey::organizationId).thenComparing(CounterKey::livemode);

        static CounterKey of(InvoiceDraft draft) {
            return new CounterKey(draft.organizationId(), draft.livemode());
        }
    }

    private static long addToTotal(long total, long amountMinor) {
        try {
            return Math.addExact(total, amountMinor);
        } catch (ArithmeticException e) {
            throw new AmountTooLargeException("the invoice total exceeds " + Long.MAX_VALUE + " minor units");
        }
    }

    /**
     * The {@code InvoiceEvent FINALIZED} of {@code draft} numbered {@code number}, finalized at {@code now} and
     * due at {@code dueAt}.
     */
    private static InvoiceEvent finalized(
            InvoiceDraft draft, String number, long totalMinor, Instant dueAt, Instant now) {
        return InvoiceEvent.newBuilder()
                .setEventId("invoice|" + draft.id() + "|finalized")
                .setType(InvoiceEventType.FINALIZED)
                .setInvoiceId(draft.id())
                .setInvoiceNumber(number)
                .setOrganizationId(draft.organizationId())
                .setCustomerId(draft.customerExternalId())
                .setLivemode(draft.livemode())
                .setCurrency(draft.currency())
                .setTotalMinor(totalMinor)
                .setPeriodStart(draft.period().start())
                .setPeriodEnd(draft.period().end())
                .setDueAt(dueAt)
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
            Invoice finalized = invoices.invoice(draft.organizationId(), draft.livemode(), draft.id())
                    .orElseThrow();
            outbox.enqueue(
                    handle, events, draft.id(), finalized(draft, draft.number(), totalMinor, finalized.dueAt(), now));
            return finalized;
        }
    }
}
