package dev.tally.billing.creditnote;

import java.math.BigDecimal;

/** A line of a credit note: {@code quantity} of invoice line {@code invoiceLineId}, credited at {@code amountMinor}. */
public record CreditNoteLine(
        String creditNoteId, int position, String invoiceLineId, BigDecimal quantity, long amountMinor) {}
