package dev.tally.billing.invoice;

import java.time.Instant;

/**
 * An invoice's header; its lines and payments are read separately. {@code subscriptionId} is set on the
 * invoices the billing cycle wrote for one subscription, null on the period close's. {@code status} is
 * one of {@link InvoiceStatus}'s names; {@code dueAt} is set once it is finalized (V26); the void and
 * write-off columns once it went through them (an uncollectible invoice paid late keeps its write-off).
 * {@code memo} and {@code footer} are what the document shows above and below its lines (null: none);
 * {@code autoFinalizeAt} when a draft finalizes by itself (null: only by a call; kept once finalized).
 */
public record Invoice(
        String id,
        String number,
        String organizationId,
        boolean livemode,
        String customerId,
        String customerExternalId,
        String currency,
        Instant periodStart,
        Instant periodEnd,
        String status,
        long totalMinor,
        Instant createdAt,
        Instant finalizedAt,
        Instant paidAt,
        String subscriptionId,
        Instant dueAt,
        Instant voidedAt,
        String voidReason,
        Instant uncollectibleAt,
        String uncollectibleReason,
        boolean paidOutOfBand,
        String paidOutOfBandBy,
        String memo,
        String footer,
        Instant autoFinalizeAt) {

    /** Whether it is open (finalized, not yet paid, voided or written off) and past due at {@code now}. */
    public boolean overdueAt(Instant now) {
        return InvoiceStatus.FINALIZED.is(status) && dueAt != null && now.isAfter(dueAt);
    }
}
