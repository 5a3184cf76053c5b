package dev.tally.billing.lineage;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.catalog.StoredPriceDefinitions;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceLine;
import jakarta.inject.Singleton;
import java.util.List;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * {@code POST /v1/invoices/{id}/verify}: an invoice is a reproducible function of its inputs, so it is
 * recomputed from them by the code that wrote it ({@link SubscriptionReplay}: the invoice planner, for the
 * billing cycle's invoices; {@link CloseReplay}: the close's rating, for a closed period's) and compared line
 * by line and in total with what is stored; one-off lines, their own input, from their quantity × unit amount
 * ({@link OneOffReplay}). Read in one snapshot, so a ledger or invoice written meanwhile
 * cannot make one part of the comparison disagree with another.
 */
@Singleton
public final class InvoiceVerifier {

    private final BillingDatabase database;
    private final StoredPriceDefinitions definitions;

    public InvoiceVerifier(BillingDatabase database, StoredPriceDefinitions definitions) {
        this.database = database;
        this.definitions = definitions;
    }

    /**
     * Verifies invoice {@code invoiceId} of the organization and mode.
     *
     * @throws BillingException (not found) if it has no such invoice
     */
    public Verification verify(String organizationId, boolean livemode, String invoiceId) {
        return database.jdbi().inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            handle.execute("SET TRANSACTION READ ONLY");
            InvoiceDao invoices = new InvoiceDao(handle);
            Invoice invoice = invoices.invoice(organizationId, livemode, invoiceId)
                    .orElseThrow(() -> BillingException.notFound("invoice " + invoiceId));
            List<InvoiceLine> stored = invoices.lines(invoice.id());
            boolean ofSubscription = invoice.subscriptionId() != null;
            List<LineFigures> replayed = ofSubscription
                    ? SubscriptionReplay.expected(handle, definitions, invoice, stored)
                    : CloseReplay.expected(handle, definitions, invoice, stored);
            List<LineFigures> expected = OneOffReplay.withOneOffs(
                    replayed,
                    stored,
                    invoice.currency(),
                    handle.attach(LineageDao.class).creditBefore(invoice.id()));
            List<LineFigures> actual = stored.stream()
                    .map(line -> LineFigures.of(match(line, ofSubscription), line))
                    .toList();
            return Verification.of(invoice.id(), invoice.currency(), expected, actual, invoice.totalMinor());
        });
    }

    private static String match(InvoiceLine line, boolean ofSubscription) {
        if (ofSubscription && line.subscriptionLine() != null) {
            return line.subscriptionLine().key();
        }
        return LineFigures.closeMatch(line);
    }
}
