package dev.tally.billing.creditnote;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An issued credit note (immutable, V29). {@code amountMinor} = {@code prePaymentMinor} (what it took off the
 * amount still due on the invoice) + {@code postPaymentMinor} (of what was already paid: credited to the
 * customer's balance or refunded, after {@code outcome}). {@code reason} and {@code outcome} are wire names. A note
 * billing issued for late usage (V32) names the invoice line whose usage it corrects ({@code correctsLineId}) and the
 * quantity it took off that line's period ({@code correctedQuantity}); both null on every other note.
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
        Instant issuedAt,
        String correctsLineId,
        BigDecimal correctedQuantity) {

    /** What this credit note refunds: its post-payment part when its outcome is a refund, else 0. */
    public long refundMinor() {
        return CreditNoteOutcome.REFUND.text().equals(outcome) ? postPaymentMinor : 0;
    }

    /** What this credit note credits to the customer's balance: its post-payment part when its outcome is credit. */
    public long balanceCreditMinor() {
        return CreditNoteOutcome.CREDIT.text().equals(outcome) ? postPaymentMinor : 0;
    }
}
