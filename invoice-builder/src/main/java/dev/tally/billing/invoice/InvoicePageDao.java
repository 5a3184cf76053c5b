package dev.tally.billing.invoice;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/** Pages of an organization's invoices, newest first (by creation, then id). */
public interface InvoicePageDao {

    /**
     * Up to {@code limit} invoices matching {@code filter} after invoice {@code after} (null: from the newest),
     * newest first; invoices created at the same instant by id, so that the order is total (drafts have no
     * number) and a cursor never skips or repeats one.
     */
    @SqlQuery(InvoiceDao.INVOICE_SELECT
            + " WHERE i.organization_id = :org AND i.livemode = :livemode"
            + InvoiceFilter.WHERE
            + " AND (CAST(:after AS text) IS NULL OR (i.created_at, i.id) <"
            + " (SELECT a.created_at, a.id FROM billing.invoices a WHERE a.id = :after))"
            + " ORDER BY i.created_at DESC, i.id DESC LIMIT :limit")
    @UseRowMapper(Rows.class)
    List<Invoice> invoices(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @BindMethods("f") InvoiceFilter filter,
            @Bind("after") String after,
            @Bind("limit") int limit);

    /** Whether invoice {@code id} is one of the organization's, in this mode. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.invoices"
            + " WHERE id = :id AND organization_id = :org AND livemode = :livemode)")
    boolean exists(@Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /** Reads an invoice row as {@link InvoiceDao} selects it. */
    final class Rows implements RowMapper<Invoice> {
        @Override
        public Invoice map(ResultSet rs, StatementContext ctx) throws SQLException {
            return InvoiceDao.invoice(rs);
        }
    }
}
