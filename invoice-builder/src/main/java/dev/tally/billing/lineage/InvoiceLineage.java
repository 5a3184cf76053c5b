package dev.tally.billing.lineage;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import dev.tally.billing.web.Page;
import dev.tally.billing.web.PageRequest;
import jakarta.inject.Singleton;
import java.util.List;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * {@code GET /v1/invoices/{id}/lines/{line}/usage}: why a line bills what it bills. A usage or adjustment line
 * names the ledger windows it billed ({@code usage_ledger.invoice_line_id}), each with the statements
 * (revisions) it billed and, for an adjustment, what the window counted at before it and after; every other
 * kind bills no usage and has no windows.
 */
@Singleton
public final class InvoiceLineage {

    private final BillingDatabase database;

    public InvoiceLineage(BillingDatabase database) {
        this.database = database;
    }

    /** A line and a page of its windows, by window start. */
    public record LineUsage(Invoice invoice, InvoiceLine line, List<WindowLineage> windows, boolean hasMore) {}

    /**
     * Line {@code lineId} of invoice {@code invoiceId} of the organization and mode, and the page {@code page}
     * of its windows ({@code startingAfter}: the key of the previous page's last window).
     *
     * @throws BillingException (not found) if there is no such invoice or the line is not one of its lines;
     *     (invalid) if {@code startingAfter} names no window of the line
     */
    public LineUsage usage(String organizationId, boolean livemode, String invoiceId, String lineId, PageRequest page) {
        return database.jdbi().inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            InvoiceDao invoices = new InvoiceDao(handle);
            Invoice invoice = invoices.invoice(organizationId, livemode, invoiceId)
                    .orElseThrow(() -> BillingException.notFound("invoice " + invoiceId));
            InvoiceLine line = invoices.lines(invoice.id()).stream()
                    .filter(candidate -> candidate.id().equals(lineId))
                    .findFirst()
                    .orElseThrow(() -> BillingException.notFound("line " + lineId + " of invoice " + invoiceId));
            boolean billsUsage =
                    (line.kind() == LineKind.USAGE || line.kind() == LineKind.ADJUSTMENT) && line.featureKey() != null;
            LineageDao dao = handle.attach(LineageDao.class);
            if (page.startingAfter() != null && !(billsUsage && dao.billedWindow(line.id(), page.startingAfter()))) {
                throw Page.unknownCursor();
            }
            if (!billsUsage) {
                return new LineUsage(invoice, line, List.of(), false);
            }
            List<String> keys = dao.windowsOf(line.id(), page.startingAfter(), page.probe());
            boolean more = keys.size() > page.limit();
            List<String> shown = more ? keys.subList(0, page.limit()) : keys;
            List<WindowLineage> windows = WindowLineage.of(shown, dao.statementsOf(invoice.id(), line.id(), shown));
            return new LineUsage(invoice, line, windows, more);
        });
    }
}
