package dev.tally.billing.export;

import static dev.tally.billing.Rows.instant;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import dev.tally.billing.invoice.InvoiceFilter;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineColumns;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.customizer.FetchSize;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * The rows of the CSV exports, oldest invoice first (by creation, then id), read through a cursor: inside a
 * transaction, PostgreSQL sends {@code fetchSize} rows per round trip, so an export of millions of rows
 * holds one batch at a time. The iterators must be closed, and the handle kept open until then.
 */
public interface InvoiceExportDao {

    /**
     * The filter of both exports on {@code i} (the invoice), by {@link ExportFilter}'s fields ({@code e}) and the
     * invoice list's ({@code f}, {@link InvoiceFilter#WHERE}).
     */
    String WHERE = " WHERE i.organization_id = :e.organizationId AND i.livemode = :e.livemode"
            + " AND i.created_at >= :e.from AND i.created_at < :e.to"
            + InvoiceFilter.WHERE;

    /** An invoice with its customer's name and e-mail, its number of lines and the sum of its payments. */
    record InvoiceRow(
            Invoice invoice,
            String customerName,
            String customerEmail,
            long lineCount,
            BigDecimal paid,
            long creditedMinor) {}

    /** A line with what the export shows of its invoice and customer. */
    record LineRow(InvoiceLine line, LineInvoice invoice) {}

    /** What the lines export shows of a line's invoice and customer, the same for each of its lines. */
    record LineInvoice(
            String id,
            String number,
            String status,
            Instant createdAt,
            String customerId,
            String customerExternalId,
            String customerName,
            String currency) {}

    @SqlQuery("SELECT i.id, i.number, i.organization_id, i.livemode, i.customer_id, c.external_id, i.currency,"
            + " i.period_start, i.period_end, i.status, i.total_minor, i.created_at, i.finalized_at, i.paid_at,"
            + " i.subscription_id, " + InvoiceDao.LIFECYCLE_COLUMNS
            + ", c.name AS customer_name, c.email AS customer_email,"
            + " (SELECT count(*) FROM billing.invoice_lines il WHERE il.invoice_id = i.id) AS line_count,"
            + " (SELECT coalesce(sum(p.amount), 0) FROM billing.invoice_payments p WHERE p.invoice_id = i.id)"
            + " AS paid,"
            + " (SELECT coalesce(sum(cn.amount_minor), 0) FROM billing.credit_notes cn WHERE cn.invoice_id = i.id)"
            + " AS credited FROM billing.invoices i JOIN billing.customers c ON c.id = i.customer_id"
            + WHERE
            + " ORDER BY i.created_at, i.id")
    @UseRowMapper(InvoiceRows.class)
    ResultIterator<InvoiceRow> invoices(
            @BindMethods("e") ExportFilter export, @BindMethods("f") InvoiceFilter filter, @FetchSize int fetchSize);

    /**
     * The invoices of the lines export, in its order, with what it shows of each: read beside {@link #lines}
     * rather than joined to every line, which made PostgreSQL write the same invoice and customer columns ten
     * times for an invoice of ten lines (a third of the time it took to send a million lines).
     */
    @SqlQuery("SELECT i.id, i.number, i.status, i.created_at, i.customer_id, c.external_id, c.name, i.currency"
            + " FROM billing.invoices i JOIN billing.customers c ON c.id = i.customer_id"
            + WHERE
            + " ORDER BY i.created_at, i.id")
    @UseRowMapper(LineInvoices.class)
    ResultIterator<LineInvoice> lineInvoices(
            @BindMethods("e") ExportFilter export, @BindMethods("f") InvoiceFilter filter, @FetchSize int fetchSize);

    /** The lines of {@link #lineInvoices}' invoices, in the same order of invoices, each invoice's in its line order. */
    @SqlQuery("SELECT " + InvoiceDao.LINE_COLUMNS + " FROM billing.invoices i"
            + " JOIN billing.invoice_lines il ON il.invoice_id = i.id"
            + WHERE
            + " ORDER BY i.created_at, i.id, " + InvoiceDao.LINE_ORDER)
    @UseRowMapper(Lines.class)
    ResultIterator<InvoiceLine> lines(
            @BindMethods("e") ExportFilter export, @BindMethods("f") InvoiceFilter filter, @FetchSize int fetchSize);

    final class InvoiceRows implements RowMapper<InvoiceRow> {
        @Override
        public InvoiceRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new InvoiceRow(
                    InvoiceDao.invoice(rs),
                    rs.getString("customer_name"),
                    rs.getString("customer_email"),
                    rs.getLong("line_count"),
                    rs.getBigDecimal("paid"),
                    rs.getLong("credited"));
        }
    }

    /** Finds the line's columns once per result set ({@link LineColumns}): the export maps millions of rows. */
    final class Lines implements RowMapper<InvoiceLine> {
        private final RowMapper<InvoiceLine> columns = LineColumns.mapper();

        @Override
        public InvoiceLine map(ResultSet rs, StatementContext ctx) throws SQLException {
            return columns.map(rs, ctx);
        }

        @Override
        public RowMapper<InvoiceLine> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
            return columns.specialize(rs, ctx);
        }
    }

    final class LineInvoices implements RowMapper<LineInvoice> {
        @Override
        public LineInvoice map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new LineInvoice(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    instant(rs, 4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getString(8).strip());
        }
    }
}
