package dev.tally.billing.export;

import dev.tally.billing.export.CsvTable.Column;
import dev.tally.billing.export.InvoiceExportDao.InvoiceRow;
import dev.tally.billing.export.InvoiceExportDao.LineRow;
import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceBalance;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.InvoiceViews;
import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The column sets of the two exports: a contract (README and the OpenAPI document list them), so columns are
 * only ever added at the end. Instants are ISO-8601 in UTC; amounts are decimals at the currency's scale
 * ({@code 12.30} USD, {@code 1230} JPY), quantities and unit amounts at their stored scale (9).
 */
public final class ExportColumns {

    private ExportColumns() {}

    /** {@code GET /v1/exports/invoices.csv}: one record per invoice. */
    public static final CsvTable<InvoiceRow> INVOICES = new CsvTable<>(List.of(
            invoice("invoice_id", Invoice::id),
            invoice("number", Invoice::number),
            invoice("status", Invoice::status),
            invoice("livemode", i -> Boolean.toString(i.livemode())),
            invoice("customer_id", Invoice::customerId),
            invoice("customer_external_id", Invoice::customerExternalId),
            new Column<>("customer_name", InvoiceRow::customerName),
            new Column<>("customer_email", InvoiceRow::customerEmail),
            invoice("subscription_id", Invoice::subscriptionId),
            invoice("currency", Invoice::currency),
            invoice("period_start", i -> text(i.periodStart())),
            invoice("period_end", i -> text(i.periodEnd())),
            invoice("created_at", i -> text(i.createdAt())),
            invoice("finalized_at", i -> text(i.finalizedAt())),
            invoice("paid_at", i -> text(i.paidAt())),
            new Column<>("line_count", r -> Long.toString(r.lineCount())),
            invoice("total", i -> money(i.totalMinor(), i.currency())),
            new Column<>(
                    "amount_paid",
                    r -> money(balance(r).paidMinor(), r.invoice().currency())),
            new Column<>(
                    "amount_due", r -> money(balance(r).dueMinor(), r.invoice().currency()))));

    /** {@code GET /v1/exports/invoice-lines.csv}: one record per invoice line, in the invoice's order. */
    public static final CsvTable<LineRow> LINES = new CsvTable<>(List.of(
            line("invoice_id", l -> l.line().invoiceId()),
            line("invoice_number", LineRow::invoiceNumber),
            line("invoice_status", LineRow::invoiceStatus),
            line("invoice_created_at", l -> text(l.invoiceCreatedAt())),
            line("customer_id", LineRow::customerId),
            line("customer_external_id", LineRow::customerExternalId),
            line("customer_name", LineRow::customerName),
            line("currency", LineRow::currency),
            line("line_id", l -> l.line().id()),
            line("kind", l -> l.line().kind().text()),
            line("description", l -> InvoiceViews.description(l.line(), l.currency())),
            line("price_id", l -> l.line().priceId()),
            line("feature_key", l -> l.line().featureKey()),
            line("subscription_id", l -> subscription(l.line())),
            line(
                    "period_start",
                    l -> l.line().usagePeriod() == null
                            ? null
                            : text(l.line().usagePeriod().start())),
            line(
                    "period_end",
                    l -> l.line().usagePeriod() == null
                            ? null
                            : text(l.line().usagePeriod().end())),
            line("quantity", l -> decimal(l.line().quantity())),
            line("previous_quantity", l -> decimal(l.line().previousQuantity())),
            line("unit_amount", l -> decimal(l.line().unitAmount())),
            line("amount", l -> money(l.line().amountMinor(), l.currency()))));

    private static Column<InvoiceRow> invoice(String name, Function<Invoice, String> value) {
        return new Column<>(name, row -> value.apply(row.invoice()));
    }

    private static Column<LineRow> line(String name, Function<LineRow, String> value) {
        return new Column<>(name, value);
    }

    private static InvoiceBalance balance(InvoiceRow row) {
        // amount_due as the API shows it: less what credit notes credited
        return InvoiceBalance.of(row.invoice(), row.paid(), row.creditedMinor());
    }

    private static String subscription(InvoiceLine line) {
        return line.subscriptionLine() == null ? null : line.subscriptionLine().subscriptionId();
    }

    private static String money(long minor, String currency) {
        return Currencies.fromMinor(minor, currency).toPlainString();
    }

    private static String decimal(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
