package dev.tally.billing.document;

import dev.tally.billing.catalog.Customer;
import dev.tally.billing.catalog.CustomerDao;
import dev.tally.billing.creditnote.CreditNote;
import dev.tally.billing.creditnote.CreditNoteDao;
import dev.tally.billing.creditnote.CreditNoteLine;
import dev.tally.billing.creditnote.CreditNoteOutcome;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.InvoiceViews;
import dev.tally.billing.tenant.Organization;
import dev.tally.billing.tenant.TenantDao;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The document of a credit note, drawn by {@link InvoicePdf} with a credit note's layout: the seller and the
 * customer as on its invoice, its number, invoice, dates, reason and outcome, the lines it credits (each at the
 * invoice line's description and unit price), and its totals: what it credits, of that what it took off the
 * amount due, and what it credited to the customer's balance or refunds.
 */
public final class CreditNoteDocuments {

    private CreditNoteDocuments() {}

    /** A credit note's document and the layout it is drawn in. */
    public record Drawn(InvoiceDocument document, InvoicePdf.Layout layout) {}

    /** The document of credit note {@code id} of the organization and mode, if it has one by that id. */
    public static Optional<Drawn> load(Handle handle, String organizationId, boolean livemode, String id) {
        CreditNoteDao notes = handle.attach(CreditNoteDao.class);
        return notes.find(organizationId, livemode, id).map(note -> {
            InvoiceDao invoices = new InvoiceDao(handle);
            // a credit note's invoice, customer and organization always exist (foreign keys)
            Invoice invoice =
                    invoices.invoice(organizationId, livemode, note.invoiceId()).orElseThrow();
            Customer customer = handle.attach(CustomerDao.class)
                    .find(organizationId, livemode, note.customerId())
                    .orElseThrow();
            Organization organization =
                    new TenantDao(handle).organization(organizationId).orElseThrow();
            return of(organization, customer, invoice, invoices.lines(invoice.id()), note, notes.lines(note.id()));
        });
    }

    /** The document of {@code note}, of {@code invoice} (with its {@code invoiceLines}), crediting {@code lines}. */
    public static Drawn of(
            Organization organization,
            Customer customer,
            Invoice invoice,
            List<InvoiceLine> invoiceLines,
            CreditNote note,
            List<CreditNoteLine> lines) {
        ZoneId zone = customer.zone();
        String currency = note.currency();
        List<InvoiceDocument.Fact> facts = new ArrayList<>();
        facts.add(new InvoiceDocument.Fact("Number", note.number()));
        facts.add(new InvoiceDocument.Fact("Invoice", invoice.number()));
        facts.add(new InvoiceDocument.Fact("Issued", InvoiceDocument.day(note.issuedAt(), zone)));
        facts.add(new InvoiceDocument.Fact(
                "Invoice period", InvoiceDocument.days(invoice.periodStart(), invoice.periodEnd(), zone)));
        facts.add(new InvoiceDocument.Fact("Reason", note.reason().replace('_', ' ')));
        facts.add(new InvoiceDocument.Fact("Dates in", zone.getId()));

        Map<String, InvoiceLine> byId =
                invoiceLines.stream().collect(Collectors.toMap(InvoiceLine::id, Function.identity()));
        List<InvoiceDocument.Line> shown = new ArrayList<>();
        for (CreditNoteLine line : lines) {
            InvoiceLine credited = byId.get(line.invoiceLineId());
            shown.add(new InvoiceDocument.Line(
                    "Credit: " + InvoiceViews.description(credited, currency),
                    InvoiceDocument.plain(line.quantity()),
                    credited.unitAmount() == null ? null : InvoiceDocument.unitPrice(credited.unitAmount(), currency),
                    InvoiceDocument.money(line.amountMinor(), currency)));
        }
        if (lines.isEmpty()) {
            boolean whole = note.amountMinor() == invoice.totalMinor();
            shown.add(new InvoiceDocument.Line(
                    (whole ? "Credit of invoice " : "Partial credit of invoice ") + invoice.number(),
                    "1",
                    null,
                    InvoiceDocument.money(note.amountMinor(), currency)));
        }
        if (note.memo() != null) {
            facts.add(new InvoiceDocument.Fact("Memo", note.memo()));
        }

        List<InvoicePdf.Total> totals = new ArrayList<>();
        totals.add(new InvoicePdf.Total("Invoice total", InvoiceDocument.money(invoice.totalMinor(), currency), false));
        totals.add(new InvoicePdf.Total(
                "Off the amount due", InvoiceDocument.money(note.prePaymentMinor(), currency), false));
        totals.add(new InvoicePdf.Total(
                CreditNoteOutcome.REFUND.text().equals(note.outcome()) ? "Refunded" : "Credited to your balance",
                InvoiceDocument.money(note.postPaymentMinor(), currency),
                false));
        totals.add(new InvoicePdf.Total("Total credited", InvoiceDocument.money(note.amountMinor(), currency), true));

        InvoiceDocument document = new InvoiceDocument(
                organization.name(),
                InvoiceDocument.party(customer),
                note.number(),
                !note.livemode(),
                facts,
                currency,
                shown,
                InvoiceDocument.money(note.amountMinor(), currency),
                null,
                null,
                null,
                // its memo is among the facts
                null,
                null,
                null);
        return new Drawn(document, new InvoicePdf.Layout("CREDIT NOTE", "Credit note", totals));
    }
}
