package dev.tally.billing.creditnote;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.schemas.rules.Currencies;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The JSON shape of credit notes. */
public final class CreditNoteViews {

    private CreditNoteViews() {}

    /**
     * A credit note. {@code amount} = {@code prePaymentAmount} (taken off what the invoice still asked for) +
     * {@code postPaymentAmount} (of what was already paid: credited to the customer's balance, or refunded: {@code
     * refundAmount}, after {@code outcome}). {@code lines} is empty on a credit note by amount or of the whole. {@code
     * correctsLine} and {@code correctedQuantity}: on a {@code usage_corrected} note billing issued for late usage,
     * the invoice line whose usage it corrects and the quantity it took off that line's period; else null.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CreditNoteView(
            String id,
            String number,
            String invoice,
            String invoiceNumber,
            String customer,
            String customerExternalId,
            boolean livemode,
            String currency,
            String reason,
            String outcome,
            @Nullable String memo,
            long amountMinor,
            String amount,
            String prePaymentAmount,
            String postPaymentAmount,
            String refundAmount,
            String issuedAt,
            List<LineView> lines,
            @Nullable String correctsLine,
            @Nullable String correctedQuantity) {}

    /** A credited line: the invoice line, the quantity of it credited, and for how much. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LineView(String line, String quantity, long amountMinor, String amount) {}

    /** The view of {@code note} with its {@code lines}. */
    public static CreditNoteView of(CreditNote note, List<CreditNoteLine> lines) {
        String currency = note.currency();
        return new CreditNoteView(
                note.id(),
                note.number(),
                note.invoiceId(),
                note.invoiceNumber(),
                note.customerId(),
                note.customerExternalId(),
                note.livemode(),
                currency,
                note.reason(),
                note.outcome(),
                note.memo(),
                note.amountMinor(),
                money(note.amountMinor(), currency),
                money(note.prePaymentMinor(), currency),
                money(note.postPaymentMinor(), currency),
                money(note.refundMinor(), currency),
                note.issuedAt().toString(),
                lines.stream()
                        .map(l -> new LineView(
                                l.invoiceLineId(),
                                l.quantity().stripTrailingZeros().toPlainString(),
                                l.amountMinor(),
                                money(l.amountMinor(), currency)))
                        .toList(),
                note.correctsLineId(),
                note.correctedQuantity() == null
                        ? null
                        : note.correctedQuantity().stripTrailingZeros().toPlainString());
    }

    private static String money(long minor, String currency) {
        return Currencies.fromMinor(minor, currency).toPlainString();
    }
}
