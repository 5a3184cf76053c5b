package dev.tally.billing.lineage;

import dev.tally.billing.invoice.CustomerCredit;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.invoice.OneOffLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The one-off lines of an invoice in its verification: a one-off line is its own input, so it is reproduced
 * from its stored quantity × unit amount by the rule that wrote it ({@link OneOffLine#amountMinor}), and since
 * it counts in the invoice's subtotal, the credit line the replay of the other lines computed is computed again
 * over both ({@link CustomerCredit}, against the credit from earlier invoices). Pure.
 */
final class OneOffReplay {

    private OneOffReplay() {}

    /**
     * {@code replayed} (the other lines' recomputation, with its credit line) with the one-off lines of {@code
     * stored} recomputed and the credit recomputed, for an invoice in {@code currency} whose customer had {@code
     * creditBeforeMinor} of credit from earlier invoices; {@code replayed} itself when there are none.
     */
    static List<LineFigures> withOneOffs(
            List<LineFigures> replayed, List<InvoiceLine> stored, String currency, long creditBeforeMinor) {
        List<InvoiceLine> oneOffs =
                stored.stream().filter(line -> line.kind() == LineKind.ONE_OFF).toList();
        if (oneOffs.isEmpty()) {
            return replayed;
        }
        List<LineFigures> expected = new ArrayList<>();
        long subtotal = 0;
        for (LineFigures line : replayed) {
            if (!line.kind().isCredit()) {
                expected.add(line);
                subtotal = Math.addExact(subtotal, line.amountMinor());
            }
        }
        for (InvoiceLine line : oneOffs) {
            long amount = OneOffLine.amountMinor(line.quantity(), line.unitAmount(), currency);
            expected.add(new LineFigures(
                    LineFigures.closeMatch(line), null, LineKind.ONE_OFF, null, line.quantity(), null, null, amount));
            subtotal = Math.addExact(subtotal, amount);
        }
        CustomerCredit.of(subtotal, creditBeforeMinor)
                .ifPresent(credit -> expected.add(new LineFigures(
                        LineFigures.CREDIT,
                        null,
                        credit.kind(),
                        null,
                        BigDecimal.ONE,
                        null,
                        null,
                        credit.amountMinor())));
        return expected;
    }
}
