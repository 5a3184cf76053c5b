package dev.tally.billing.creditnote;

import dev.tally.billing.BillingException;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a credit note credits, from what is asked and what is left to credit (pure). Every refusal is a 400 naming
 * the member at fault: {@code amount}, {@code lines[i].line} or {@code lines[i].quantity}.
 *
 * <p>A line credits {@code quantity} at the line's unit price, exactly, then rounded to the minor unit as the
 * project rounds line amounts ({@link Currencies#toMinor}, half-even); a line without one unit price (usage rated
 * by tiers or packages) at its average price, its amount × quantity / its quantity, rounded the same way. Crediting
 * all of a line's quantity still creditable credits all its amount still creditable, so rounding never leaves a
 * cent behind, and a line is never credited beyond its own amount. Only a line of a positive quantity and amount
 * can be credited (credit and proration-credit lines lower an invoice already).
 */
public final class CreditAmounts {

    private CreditAmounts() {}

    /** A line as asked: invoice line id and quantity to credit (member {@code lines[index]}). */
    public record Asked(int index, String line, BigDecimal quantity) {}

    /** A line as credited: which invoice line, how much of it, for how much. */
    public record Credited(String invoiceLineId, BigDecimal quantity, long amountMinor) {}

    /**
     * The credit of {@code amountMinor} asked by amount on an invoice with {@code creditableMinor} left to credit.
     */
    public static long byAmount(long amountMinor, long creditableMinor, String currency) {
        if (amountMinor <= 0) {
            throw BillingException.invalid("amount", "amount must be above zero");
        }
        if (amountMinor > creditableMinor) {
            throw BillingException.invalid(
                    "amount",
                    "amount is above what the invoice has left to credit: "
                            + Currencies.fromMinor(creditableMinor, currency).toPlainString() + " " + currency);
        }
        return amountMinor;
    }

    /**
     * The lines {@code asked} credit, of {@code lines} (the invoice's, by id), of which earlier credit notes
     * credited {@code already} (by line id), on an invoice with {@code creditableMinor} left to credit in {@code
     * currency}.
     */
    public static List<Credited> byLines(
            List<Asked> asked,
            Map<String, InvoiceLine> lines,
            Map<String, CreditNoteDao.LineCredited> already,
            long creditableMinor,
            String currency) {
        if (asked.isEmpty()) {
            throw BillingException.invalid("lines", "lines must name at least one line (or leave lines out)");
        }
        List<Credited> credited = new ArrayList<>();
        Set<String> named = new HashSet<>();
        long total = 0;
        for (Asked a : asked) {
            String lineField = "lines[" + a.index() + "].line";
            String quantityField = "lines[" + a.index() + "].quantity";
            InvoiceLine line = lines.get(a.line());
            if (line == null) {
                throw BillingException.invalid(lineField, lineField + " is not a line of this invoice");
            }
            if (!named.add(a.line())) {
                throw BillingException.invalid(lineField, lineField + " names a line already named in lines");
            }
            if (line.quantity().signum() <= 0 || line.amountMinor() <= 0) {
                throw BillingException.invalid(lineField, lineField + " has no positive quantity and amount to credit");
            }
            if (a.quantity().signum() <= 0) {
                throw BillingException.invalid(quantityField, quantityField + " must be above zero");
            }
            CreditNoteDao.LineCredited before = already.get(line.id());
            BigDecimal quantityLeft = line.quantity().subtract(before == null ? BigDecimal.ZERO : before.quantity());
            long amountLeft = line.amountMinor() - (before == null ? 0 : before.amountMinor());
            int order = a.quantity().compareTo(quantityLeft);
            if (order > 0 || amountLeft <= 0) {
                throw BillingException.invalid(
                        quantityField,
                        quantityField + " is above the line's quantity left" + " to credit: "
                                + quantityLeft
                                        .max(BigDecimal.ZERO)
                                        .stripTrailingZeros()
                                        .toPlainString());
            }
            long amount = order == 0 ? amountLeft : Math.min(amountLeft, amountOf(line, a.quantity(), currency));
            if (amount <= 0) {
                throw BillingException.invalid(
                        quantityField, quantityField + " credits less than one minor unit of " + currency);
            }
            total += amount;
            if (total > creditableMinor) {
                throw BillingException.invalid(
                        quantityField,
                        "the lines up to " + quantityField
                                + " credit more than the invoice has left to credit: "
                                + Currencies.fromMinor(creditableMinor, currency)
                                        .toPlainString() + " " + currency);
            }
            credited.add(new Credited(line.id(), a.quantity(), amount));
        }
        return credited;
    }

    /** {@code quantity} of {@code line} at its unit price (else its average price), in minor units. */
    static long amountOf(InvoiceLine line, BigDecimal quantity, String currency) {
        if (line.unitAmount() != null) {
            return Currencies.toMinor(line.unitAmount().multiply(quantity), currency);
        }
        return BigDecimal.valueOf(line.amountMinor())
                .multiply(quantity)
                .divide(line.quantity(), 0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }

    /**
     * How a credit of {@code amountMinor} splits on an invoice that still asks for {@code dueMinor}: the part that
     * lowers what is due (pre-payment) and the part of what was already paid (post-payment), in that order.
     */
    public static Split split(long amountMinor, long dueMinor) {
        long pre = Math.min(amountMinor, Math.max(0, dueMinor));
        return new Split(pre, amountMinor - pre);
    }

    /** A credit's part off what is due and its part of what was already paid. */
    public record Split(long prePaymentMinor, long postPaymentMinor) {}
}
