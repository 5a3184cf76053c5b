package dev.tally.billing.report;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceBalance;
import dev.tally.billing.invoice.InvoiceStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a period report, per currency, added up one invoice at a time (no I/O: the caller streams the
 * period's issued invoices in). Each invoice's paid and due amounts are {@link InvoiceBalance}'s, the rule the
 * invoice JSON, the PDF and the CSV export show, so the report is the sum of what the invoices say:
 *
 * <ul>
 *   <li>{@code billed}: the totals of the invoices issued (finalized) in the period, void ones apart
 *       ({@code voided}: issued in error, nothing was owed);
 *   <li>{@code credited}: what credit notes credited on them (void ones apart: a void invoice cannot be
 *       credited after it was voided, and what was credited before stays with the void invoice);
 *   <li>{@code paid}: what was paid on them (void ones apart: a payment on a void invoice is to refund);
 *   <li>{@code outstanding}: what is still due on the open ones, after payments and credit notes;
 *       {@code overdue}: of it, on those past due at
 *       {@code now}.
 * </ul>
 */
public final class PeriodReport {

    /** One currency's figures, in its minor units. */
    public record Figures(
            String currency,
            long invoices,
            long billedMinor,
            long creditedMinor,
            long paidMinor,
            long outstandingMinor,
            long overdueMinor,
            long voidedMinor) {

        Figures plus(Invoice invoice, InvoiceBalance balance, long credited, Instant now) {
            if (InvoiceStatus.VOID.is(invoice.status())) {
                return new Figures(
                        currency,
                        invoices,
                        billedMinor,
                        creditedMinor,
                        paidMinor,
                        outstandingMinor,
                        overdueMinor,
                        Math.addExact(voidedMinor, invoice.totalMinor()));
            }
            return new Figures(
                    currency,
                    invoices + 1,
                    Math.addExact(billedMinor, invoice.totalMinor()),
                    Math.addExact(creditedMinor, credited),
                    Math.addExact(paidMinor, balance.paidMinor()),
                    Math.addExact(outstandingMinor, balance.dueMinor()),
                    Math.addExact(overdueMinor, invoice.overdueAt(now) ? balance.dueMinor() : 0),
                    voidedMinor);
        }
    }

    private final Instant now;
    private final Map<String, Figures> byCurrency = new TreeMap<>();

    /** An empty report whose overdue figure is read at {@code now}. */
    public PeriodReport(Instant now) {
        this.now = now;
    }

    /**
     * Adds an issued invoice whose Stellar payments add up to {@code paid} and whose credit notes to
     * {@code creditedMinor}.
     */
    public void add(Invoice invoice, BigDecimal paid, long creditedMinor) {
        InvoiceBalance balance = InvoiceBalance.of(invoice, paid, creditedMinor);
        byCurrency.compute(
                invoice.currency(),
                (currency, figures) -> (figures == null ? new Figures(currency, 0, 0, 0, 0, 0, 0, 0) : figures)
                        .plus(invoice, balance, creditedMinor, now));
    }

    /** The figures so far, by currency code. */
    public List<Figures> figures() {
        return List.copyOf(byCurrency.values());
    }
}
