package dev.tally.billing.account;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceEvents;
import dev.tally.platform.outbox.Outbox;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Writes customers' billing-state changes and enqueues one {@code CUSTOMER_BILLING_STATE_CHANGED} per change,
 * in the caller's transaction: the worker's forward moves ({@link #advance}) and the return to active as an
 * invoice is paid, voided or written off ({@link #settle}). The event's id is the customer's and the change's
 * count, so even an event enqueued twice is one change to its consumers; the lock and the conditional update
 * make sure it is written once.
 */
public final class BillingStateChanges {

    private final Outbox outbox;
    private final Topics topics;

    public BillingStateChanges(Outbox outbox, Topics topics) {
        this.outbox = outbox;
        this.topics = topics;
    }

    /** The id of the {@code change}th billing-state event of customer {@code customerId}. */
    public static String eventId(String customerId, long change) {
        return "customer|" + customerId + "|billing_state|" + change;
    }

    /**
     * Moves up to {@code limit} customers whose state is behind the clock at {@code now} to the state they
     * should be in, skipping customers another transaction holds; returns the changes.
     */
    public List<BillingStateChange> advance(Handle handle, Instant now, int limit) {
        BillingAccountDao accounts = handle.attach(BillingAccountDao.class);
        List<String> stale = accounts.lockStale(now, limit);
        if (stale.isEmpty()) {
            return List.of();
        }
        return announce(handle, accounts.moveToTarget(stale.toArray(String[]::new), now, null), now);
    }

    /**
     * After invoice {@code invoiceId} of customer {@code customerId} was paid, voided or written off in this
     * transaction: moves the customer to the state it is in now (active when that invoice was its last one
     * past due), waiting for a worker that holds it. Returns the change, if any.
     */
    public List<BillingStateChange> settle(Handle handle, String customerId, String invoiceId, Instant now) {
        BillingAccountDao accounts = handle.attach(BillingAccountDao.class);
        if (accounts.lock(customerId).isEmpty()) {
            return List.of();
        }
        return announce(handle, accounts.moveToTarget(new String[] {customerId}, now, invoiceId), now);
    }

    private List<BillingStateChange> announce(Handle handle, List<BillingStateChange> changes, Instant now) {
        if (changes.isEmpty()) {
            return changes;
        }
        Map<String, Invoice> causes = new InvoiceDao(handle)
                        .invoices(changes.stream()
                                .map(BillingStateChange::causeInvoiceId)
                                .distinct()
                                .toList())
                        .stream()
                        .collect(Collectors.toMap(Invoice::id, Function.identity()));
        outbox.enqueueAll(
                handle,
                topics.invoiceEvents(),
                changes.stream()
                        .map(change -> {
                            Invoice cause = causes.get(change.causeInvoiceId());
                            if (cause == null) {
                                // a change needs an invoice past due, or one that stopped being so: never none
                                throw new IllegalStateException("billing state change " + change.change() + " of "
                                        + change.customerId() + " has no invoice that caused it");
                            }
                            return Map.entry(
                                    cause.id(),
                                    InvoiceEvents.of(cause, InvoiceEventType.CUSTOMER_BILLING_STATE_CHANGED, now)
                                            .setEventId(eventId(change.customerId(), change.change()))
                                            .setBillingState(change.state())
                                            .setPreviousBillingState(change.previousState())
                                            .setBillingStateChange(change.change())
                                            .build());
                        })
                        .toList());
        return changes;
    }
}
