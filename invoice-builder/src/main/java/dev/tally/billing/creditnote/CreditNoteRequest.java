package dev.tally.billing.creditnote;

import dev.tally.billing.BillingException;
import dev.tally.billing.web.Inputs;
import dev.tally.schemas.Decimals;
import dev.tally.schemas.rules.Currencies;
import dev.tally.schemas.rules.DecimalText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A credit note as asked, its members checked one by one (400 naming the member): the amount is kept as text
 * until the invoice's currency is known (its scale bounds the decimals).
 *
 * @param amount null unless credited by amount
 * @param lines empty unless credited by line
 */
public record CreditNoteRequest(
        CreditNoteReason reason,
        CreditNoteOutcome outcome,
        String memo,
        String amount,
        List<CreditAmounts.Asked> lines) {

    /** The longest memo, as V29 bounds it. */
    public static final int MAX_MEMO = 500;

    /** The most integer digits of an amount (as the catalog's amounts). */
    private static final int AMOUNT_INTEGER_DIGITS = 15;

    /** Reads {@code body}. */
    public static CreditNoteRequest of(CreditNoteBody body) {
        CreditNoteReason reason = CreditNoteReason.parse("reason", body.reason());
        CreditNoteOutcome outcome = CreditNoteOutcome.parse("outcome", body.outcome());
        String memo = Inputs.optionalText("memo", body.memo(), MAX_MEMO);
        // a blank memo is no memo
        memo = memo == null || memo.isEmpty() ? null : Inputs.withoutControls("memo", memo);
        if (body.amount() != null && body.lines() != null) {
            throw BillingException.invalid("amount", "give either amount or lines, not both");
        }
        List<CreditAmounts.Asked> lines = new ArrayList<>();
        if (body.lines() != null) {
            for (int i = 0; i < body.lines().size(); i++) {
                CreditNoteBody.LineBody line = body.lines().get(i);
                String lineField = "lines[" + i + "].line";
                String quantityField = "lines[" + i + "].quantity";
                if (line == null) {
                    throw BillingException.invalid("lines[" + i + "]", "lines[" + i + "] must be an object");
                }
                String id = Inputs.withoutControls(lineField, Inputs.required(lineField, line.line()));
                BigDecimal quantity = Inputs.decimal(quantityField, line.quantity(), Decimals.QUANTITY_BOUNDS);
                lines.add(new CreditAmounts.Asked(i, id, quantity));
            }
            if (lines.isEmpty()) {
                throw BillingException.invalid("lines", "lines must name at least one line (or leave lines out)");
            }
        }
        return new CreditNoteRequest(reason, outcome, memo, body.amount(), List.copyOf(lines));
    }

    /** The amount asked in minor units of {@code currency}: at most its decimals, never negative. */
    public long amountMinor(String currency) {
        int digits = Currencies.minorDigits(currency);
        BigDecimal value =
                Inputs.decimal("amount", amount, new DecimalText.Bounds(AMOUNT_INTEGER_DIGITS, digits, false));
        return Currencies.toMinor(value, currency);
    }
}
