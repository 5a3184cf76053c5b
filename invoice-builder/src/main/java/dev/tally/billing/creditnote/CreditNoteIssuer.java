package dev.tally.billing.creditnote;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingOutboxRelay;
import dev.tally.schemas.topic.Topics;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Issues credit notes for the API, each in its own transaction at the billing clock's instant ({@link
 * CreditNoteWriter} writes it), waking the outbox relay once it commits.
 */
@Singleton
public final class CreditNoteIssuer {

    private final BillingDatabase database;
    private final BillingOutboxRelay relay;
    private final CreditNoteWriter writer;
    private final Clock clock;

    public CreditNoteIssuer(
            BillingDatabase database, BillingOutboxRelay relay, Topics topics, @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.relay = relay;
        this.writer = new CreditNoteWriter(database.outbox(), topics);
        this.clock = clock;
    }

    /** Issues {@code request} against invoice {@code invoiceId} of the organization and mode; returns the note. */
    public CreditNote issue(String organizationId, boolean livemode, String invoiceId, CreditNoteRequest request) {
        return database.jdbi().inTransaction(handle -> {
            CreditNote note = writer.issue(handle, organizationId, livemode, invoiceId, request, clock.instant());
            handle.afterCommit(relay::wakeUp);
            return note;
        });
    }
}
