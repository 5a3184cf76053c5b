package dev.tally.billing.export;

import dev.tally.billing.export.InvoiceExportDao.LineInvoice;
import dev.tally.billing.export.InvoiceExportDao.LineRow;
import dev.tally.billing.invoice.InvoiceLine;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The rows of the lines export: each line of {@code lines} with its invoice from {@code invoices}, two cursors
 * in the same order of invoices, walked side by side as a merge join. An invoice without lines is passed over; a
 * line whose invoice is not next (the two cursors read different snapshots, or orders) is an error, never a row
 * with another invoice's number.
 */
final class LinesWithInvoices implements ResultIterator<LineRow> {

    private final ResultIterator<LineInvoice> invoices;
    private final ResultIterator<InvoiceLine> lines;
    private LineInvoice invoice;

    LinesWithInvoices(ResultIterator<LineInvoice> invoices, ResultIterator<InvoiceLine> lines) {
        this.invoices = invoices;
        this.lines = lines;
    }

    @Override
    public boolean hasNext() {
        return lines.hasNext();
    }

    @Override
    public LineRow next() {
        InvoiceLine line = lines.next();
        while (invoice == null || !invoice.id().equals(line.invoiceId())) {
            if (!invoices.hasNext()) {
                throw new IllegalStateException("line " + line.id() + " of invoice " + line.invoiceId()
                        + " comes after the last invoice the export read");
            }
            invoice = invoices.next();
        }
        return new LineRow(line, invoice);
    }

    @Override
    public void close() {
        try {
            lines.close();
        } finally {
            invoices.close();
        }
    }

    @Override
    public StatementContext getContext() {
        return lines.getContext();
    }
}
