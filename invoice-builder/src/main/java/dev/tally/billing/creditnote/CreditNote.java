package dev.tally.billing.creditnote;

import java.time.Instant;

/**
 * An issued credit note (immutable, V29). {@code amountMinor} = {@code prePaymentMinor} (what it took off the
 * amount still due on the invoice) + {@code postPaymentMinor} (of what was already paid: credited to the
 * customer's balance or refunded, after {@code outcome}). {@code reason} and {@code outcome} are wire names.
 */
public record CreditNote(
        String id,
        String number,
        String organizationId,
        boolean livemode,
        String invoiceId,
        String invoiceNumber,
        String customerId,
        String customerExternalId,
        String currency,
        String reason,
        String outcome,
        String memo,
        long amountMinor,
        long prePaymentMinor,
        long postPaymentMinor,
        Instant issuedAt) {

    /** What this credit note refunds: its post-payment part when its outcome is a refund, else 0. */
    public long refundMinor() {
        return CreditNoteOutcome.REFUND.text().equals(outcome) ? postPaymentMinor : 0;
    }

    /** What this credit note credits to the customer's balance: its post-payment part when its outcome is credit. */
    public long balanceCreditMinor() {
        return CreditNoteOutcome.CREDIT.text().equals(outcome) ? postPaymentMinor : 0;
    }
}
