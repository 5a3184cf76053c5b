package dev.tally.billing.export;

import dev.tally.billing.export.CsvTable.Column;
import dev.tally.billing.export.InvoiceExportDao.InvoiceRow;
import dev.tally.billing.export.InvoiceExportDao.LineRow;
import dev.tally.billing.invoice.InvoiceBalance;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.InvoiceViews;
import java.util.List;

/**
 * The column sets of the two exports: a contract (README and the OpenAPI document list them), so columns are
 * only ever added at the end. Instants are ISO-8601 in UTC; amounts are decimals at the currency's scale
 * ({@code 12.30} USD, {@code 1230} JPY), quantities and unit amounts at their stored scale (9).
 */
public final class ExportColumns {

    private ExportColumns() {}

    /** {@code GET /v1/exports/invoices.csv}: one record per invoice. */
    public static final CsvTable<InvoiceRow> INVOICES = new CsvTable<>(List.of(
            Column.text("invoice_id", r -> r.invoice().id()),
            Column.text("number", r -> r.invoice().number()),
            Column.text("status", r -> r.invoice().status()),
            Column.text("livemode", r -> Boolean.toString(r.invoice().livemode())),
            Column.text("customer_id", r -> r.invoice().customerId()),
            Column.text("customer_external_id", r -> r.invoice().customerExternalId()),
            Column.text("customer_name", InvoiceRow::customerName),
            Column.text("customer_email", InvoiceRow::customerEmail),
            Column.text("subscription_id", r -> r.invoice().subscriptionId()),
            Column.text("currency", r -> r.invoice().currency()),
            Column.instant("period_start", r -> r.invoice().periodStart()),
            Column.instant("period_end", r -> r.invoice().periodEnd()),
            Column.instant("created_at", r -> r.invoice().createdAt()),
            Column.instant("finalized_at", r -> r.invoice().finalizedAt()),
            Column.instant("paid_at", r -> r.invoice().paidAt()),
            Column.text("line_count", r -> Long.toString(r.lineCount())),
            Column.money("total", r -> r.invoice().totalMinor(), ExportColumns::currency),
            Column.money("amount_paid", r -> balance(r).paidMinor(), ExportColumns::currency),
            Column.money("amount_due", r -> balance(r).dueMinor(), ExportColumns::currency)));

    /** {@code GET /v1/exports/invoice-lines.csv}: one record per invoice line, in the invoice's order. */
    public static final CsvTable<LineRow> LINES = new CsvTable<>(List.of(
            Column.text("invoice_id", l -> l.line().invoiceId()),
            Column.text("invoice_number", l -> l.invoice().number()),
            Column.text("invoice_status", l -> l.invoice().status()),
            Column.instant("invoice_created_at", l -> l.invoice().createdAt()),
            Column.text("customer_id", l -> l.invoice().customerId()),
            Column.text("customer_external_id", l -> l.invoice().customerExternalId()),
            Column.text("customer_name", l -> l.invoice().customerName()),
            Column.text("currency", l -> l.invoice().currency()),
            Column.text("line_id", l -> l.line().id()),
            Column.text("kind", l -> l.line().kind().text()),
            Column.text(
                    "description",
                    l -> InvoiceViews.description(l.line(), l.invoice().currency())),
            Column.text("price_id", l -> l.line().priceId()),
            Column.text("feature_key", l -> l.line().featureKey()),
            Column.text("subscription_id", l -> subscription(l.line())),
            Column.instant(
                    "period_start",
                    l -> l.line().usagePeriod() == null
                            ? null
                            : l.line().usagePeriod().start()),
            Column.instant(
                    "period_end",
                    l -> l.line().usagePeriod() == null
                            ? null
                            : l.line().usagePeriod().end()),
            Column.decimal("quantity", l -> l.line().quantity()),
            Column.decimal("previous_quantity", l -> l.line().previousQuantity()),
            Column.decimal("unit_amount", l -> l.line().unitAmount()),
            Column.money("amount", l -> l.line().amountMinor(), l -> l.invoice().currency())));

    private static String currency(InvoiceRow row) {
        return row.invoice().currency();
    }

    private static InvoiceBalance balance(InvoiceRow row) {
        // amount_due as the API shows it: less what credit notes credited
        return InvoiceBalance.of(row.invoice(), row.paid(), row.creditedMinor());
    }

    private static String subscription(InvoiceLine line) {
        return line.subscriptionLine() == null ? null : line.subscriptionLine().subscriptionId();
    }
}
