package dev.tally.billing.report;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.FetchSize;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * The invoices a period report adds up: of an organization and mode, finalized in {@code [from, to)}, each with
 * the sum of its Stellar payments and that of its credit notes (what
 * {@link dev.tally.billing.invoice.InvoiceBalance} reads its paid and due amounts from), read through a cursor so a long period holds one batch at a time.
 */
public interface PeriodReportDao {

    /** An issued invoice and what its payments and its credit notes add up to. */
    record Row(Invoice invoice, BigDecimal paid, long creditedMinor) {}

    @SqlQuery("SELECT i.id, i.number, i.organization_id, i.livemode, i.customer_id, c.external_id, i.currency,"
            + " i.period_start, i.period_end, i.status, i.total_minor, i.created_at, i.finalized_at, i.paid_at,"
            + " i.subscription_id, " + InvoiceDao.LIFECYCLE_COLUMNS
            + ", (SELECT coalesce(sum(p.amount), 0) FROM billing.invoice_payments p WHERE p.invoice_id = i.id)"
            + " AS paid,"
            + " (SELECT coalesce(sum(cn.amount_minor), 0) FROM billing.credit_notes cn WHERE cn.invoice_id = i.id)"
            + " AS credited FROM billing.invoices i JOIN billing.customers c ON c.id = i.customer_id"
            + " WHERE i.organization_id = :org AND i.livemode = :livemode AND i.status <> 'draft'"
            + " AND i.finalized_at >= :from AND i.finalized_at < :to")
    @UseRowMapper(Rows.class)
    ResultIterator<Row> issued(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("from") Instant from,
            @Bind("to") Instant to,
            @FetchSize int fetchSize);

    final class Rows implements RowMapper<Row> {
        @Override
        public Row map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Row(InvoiceDao.invoice(rs), rs.getBigDecimal("paid"), rs.getLong("credited"));
        }
    }
}
