package dev.tally.billing.invoice;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/** Pages of an organization's invoices, newest first (by creation, then number). */
public interface InvoicePageDao {

    /**
     * Up to {@code limit} invoices after invoice {@code after} (null: from the newest), of {@code
     * customerId} and in {@code status} when those are not null.
     */
    @SqlQuery(InvoiceDao.INVOICE_SELECT
            + " WHERE i.organization_id = :org AND i.livemode = :livemode"
            + " AND (CAST(:customer AS text) IS NULL OR i.customer_id = :customer)"
            + " AND (CAST(:status AS text) IS NULL OR i.status = :status)"
            + " AND (CAST(:after AS text) IS NULL OR (i.created_at, i.number) <"
            + " (SELECT a.created_at, a.number FROM billing.invoices a WHERE a.id = :after))"
            + " ORDER BY i.created_at DESC, i.number DESC LIMIT :limit")
    @UseRowMapper(Rows.class)
    List<Invoice> invoices(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("customer") String customerId,
            @Bind("status") String status,
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
