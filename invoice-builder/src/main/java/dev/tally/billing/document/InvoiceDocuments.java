package dev.tally.billing.document;

import dev.tally.billing.catalog.Customer;
import dev.tally.billing.catalog.CustomerDao;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.tenant.Organization;
import dev.tally.billing.tenant.TenantDao;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Reads what an {@link InvoiceDocument} shows: the invoice, its lines and payments, its customer and organization. */
public final class InvoiceDocuments {

    private InvoiceDocuments() {}

    /** The document of invoice {@code id} of the organization and mode, if it has one by that id. */
    public static Optional<InvoiceDocument> load(Handle handle, String organizationId, boolean livemode, String id) {
        InvoiceDao invoices = new InvoiceDao(handle);
        return invoices.invoice(organizationId, livemode, id).map(invoice -> {
            // an invoice's customer and organization always exist (foreign keys): missing is a broken database
            Customer customer = handle.attach(CustomerDao.class)
                    .find(organizationId, livemode, invoice.customerId())
                    .orElseThrow(() -> missing("customer", invoice));
            Organization organization = new TenantDao(handle)
                    .organization(organizationId)
                    .orElseThrow(() -> missing("organization", invoice));
            return InvoiceDocument.of(
                    organization,
                    customer,
                    invoice,
                    invoices.lines(invoice.id()),
                    invoices.paymentRequest(invoice.id()).orElse(null),
                    invoices.payments(invoice.id()),
                    invoices.creditedMinor(invoice.id()));
        });
    }

    private static IllegalStateException missing(String what, Invoice invoice) {
        return new IllegalStateException("the " + what + " of invoice " + invoice.id() + " is not in the database");
    }
}
