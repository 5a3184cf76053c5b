package dev.tally.billing.invoice;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.account.BillingStateChanges;
import dev.tally.platform.outbox.Outbox;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.topic.Topics;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The transitions of an invoice the API asks for: finalize a draft, void, write off (uncollectible) and mark
 * paid out of band. Each locks the invoice, checks its status (a wrong one is a 409 naming the current
 * status), changes it and enqueues its {@code InvoiceEvent} in the outbox in the same transaction; the
 * database checks the transition again (V26).
 */
@Singleton
public final class InvoiceTransitions {

    /** The longest reason of a void or write-off, as V26 bounds it. */
    public static final int MAX_REASON = 500;

    private final BillingDatabase database;
    private final BillingOutboxRelay relay;
    private final Outbox outbox;
    private final Topics topics;
    private final InvoiceIssuer issuer;
    private final BillingStateChanges billingStates;
    private final Clock clock;

    public InvoiceTransitions(
            BillingDatabase database, BillingOutboxRelay relay, Topics topics, @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.relay = relay;
        this.outbox = database.outbox();
        this.topics = topics;
        this.issuer = new InvoiceIssuer(database, topics);
        this.billingStates = new BillingStateChanges(outbox, topics);
        this.clock = clock;
    }

    /** Which invoice, of which organization and mode, the caller asks about. */
    public record Target(String organizationId, boolean livemode, String invoiceId) {}

    /** Voids an open or uncollectible invoice for {@code reason}. */
    public InvoiceViews.InvoiceView voidInvoice(Target target, String reason) {
        return transition(target, (handle, invoice, now) -> {
            if (!new InvoiceDao(handle).markVoid(invoice.id(), reason, now)) {
                throw conflict(invoice, "voided", "only an open or uncollectible invoice can be voided");
            }
            return InvoiceEventType.VOIDED;
        });
    }

    /** Writes off an open invoice for {@code reason}: it stays payable (a late payment pays it). */
    public InvoiceViews.InvoiceView markUncollectible(Target target, String reason) {
        return transition(target, (handle, invoice, now) -> {
            if (!new InvoiceDao(handle).markUncollectible(invoice.id(), reason, now)) {
                throw conflict(invoice, "marked uncollectible", "only an open invoice can be written off");
            }
            return InvoiceEventType.UNCOLLECTIBLE;
        });
    }

    /** Marks an open or uncollectible invoice paid outside Stellar, by API key {@code keyId}. */
    public InvoiceViews.InvoiceView payOutOfBand(Target target, String keyId) {
        return transition(target, (handle, invoice, now) -> {
            if (!new InvoiceDao(handle).markPaidOutOfBand(invoice.id(), keyId, now)) {
                throw conflict(invoice, "paid", "only an open or uncollectible invoice can be paid");
            }
            return InvoiceEventType.PAID;
        });
    }

    /**
     * Finalizes a draft: numbers it from its organization's counter and sets its total to the sum of its
     * lines, as the billing cycle does ({@link InvoiceIssuer#finalizeAll}, which enqueues the event).
     */
    public InvoiceViews.InvoiceView finalizeDraft(Target target) {
        return database.jdbi().inTransaction(handle -> {
            Invoice invoice = locked(handle, target);
            if (!InvoiceStatus.DRAFT.is(invoice.status())) {
                throw conflict(invoice, "finalized", "only a draft can be finalized");
            }
            Instant now = clock.instant();
            finalizeLocked(handle, List.of(invoice), now);
            return InvoiceController.view(handle, reread(handle, target), now);
        });
    }

    /**
     * The one finalization of drafts already written, for {@code POST …/finalize} and the draft finalization
     * worker alike: {@code drafts}, locked by the caller and all drafts, are numbered, totalled from their
     * lines, dated and their FINALIZED events enqueued ({@link InvoiceIssuer#finalizeAll}) at {@code now}; the
     * outbox relay is woken after the commit.
     */
    public void finalizeLocked(Handle handle, List<Invoice> drafts, Instant now) {
        if (drafts.isEmpty()) {
            return;
        }
        InvoiceDao dao = new InvoiceDao(handle);
        List<InvoiceIssuer.Issue> issues = drafts.stream()
                .map(invoice -> InvoiceIssuer.Issue.of(
                        new InvoiceDraft(
                                invoice.id(),
                                invoice.number(),
                                invoice.organizationId(),
                                invoice.livemode(),
                                invoice.customerId(),
                                invoice.customerExternalId(),
                                invoice.subscriptionId() == null ? dao.billingPeriodOf(invoice.id()) : null,
                                invoice.subscriptionId(),
                                invoice.currency(),
                                new UsagePeriod(invoice.periodStart(), invoice.periodEnd())),
                        dao.lines(invoice.id())))
                .toList();
        issuer.finalizeAll(handle, issues, now);
        handle.afterCommit(relay::wakeUp);
    }

    /** The 409 of a draft edit or finalization asked of {@code invoice}, which is not (or no longer) a draft. */
    public static BillingException notADraft(Invoice invoice, String asked) {
        return conflict(invoice, asked, "only a draft can be " + asked);
    }

    private interface Step {
        /** Changes {@code invoice} (locked) at {@code now}, or throws; returns the type of its event. */
        InvoiceEventType apply(Handle handle, Invoice invoice, Instant now);
    }

    private InvoiceViews.InvoiceView transition(Target target, Step step) {
        return database.jdbi().inTransaction(handle -> {
            Invoice invoice = locked(handle, target);
            Instant now = clock.instant();
            InvoiceEventType type = step.apply(handle, invoice, now);
            Invoice changed = reread(handle, target);
            InvoiceEvent.Builder event = InvoiceEvents.of(changed, type, now);
            switch (type) {
                case VOIDED -> event.setReason(changed.voidReason());
                case UNCOLLECTIBLE -> event.setReason(changed.uncollectibleReason());
                default -> event.setPaidOutOfBand(changed.paidOutOfBand());
            }
            outbox.enqueue(handle, topics.invoiceEvents(), changed.id(), event.build());
            // paid, voided or written off: no longer past due, which may return the customer to active
            billingStates.settle(handle, changed.customerId(), changed.id(), now);
            handle.afterCommit(relay::wakeUp);
            return InvoiceController.view(handle, changed, now);
        });
    }

    private static Invoice locked(Handle handle, Target target) {
        return new InvoiceDao(handle)
                .invoiceForUpdate(target.organizationId(), target.livemode(), target.invoiceId())
                .orElseThrow(() -> BillingException.notFound("invoice " + target.invoiceId()));
    }

    private static Invoice reread(Handle handle, Target target) {
        return new InvoiceDao(handle)
                .invoice(target.organizationId(), target.livemode(), target.invoiceId())
                .orElseThrow();
    }

    private static BillingException conflict(Invoice invoice, String asked, String rule) {
        return BillingException.stateConflict(
                ErrorCode.INVOICE_STATE_CONFLICT,
                "invoice " + invoice.id() + " is " + invoice.status() + " and cannot be " + asked + ": " + rule,
                invoice.status());
    }
}
