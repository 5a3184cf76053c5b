package dev.tally.billing.draft;

import dev.tally.billing.invoice.Invoice;
import dev.tally.billing.invoice.InvoiceDao;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * What editing and automatically finalizing drafts read and write in {@code billing} (V30). Every write is of
 * a draft ({@code status = 'draft'} in its WHERE): the database refuses changes of issued invoices anyway
 * (V26, V17/V28), this only keeps a stale caller from reaching those refusals.
 */
@RegisterConstructorMapper(DraftDao.Delay.class)
public interface DraftDao {

    /** An organization's auto-finalize delay in seconds. */
    record Delay(String id, int autoFinalizeDelaySeconds) {}

    /** The auto-finalize delays of organizations {@code ids}. */
    @SqlQuery("SELECT id, auto_finalize_delay_seconds FROM billing.organizations WHERE id = ANY(CAST(:ids AS text[]))")
    List<Delay> delays(@Bind("ids") List<String> organizationIds);

    /**
     * Leaves drafts {@code ids} as drafts with their element of {@code totals} (the sum of their lines, so the
     * API shows what they will ask) and of {@code at} (when they finalize by themselves, ISO instants: JDBI binds
     * no array of instants).
     */
    @SqlUpdate("UPDATE billing.invoices i SET total_minor = u.total, auto_finalize_at = CAST(u.at AS timestamptz)"
            + " FROM unnest(CAST(:ids AS text[]), CAST(:totals AS bigint[]), CAST(:at AS text[]))"
            + " AS u(id, total, at) WHERE i.id = u.id AND i.status = 'draft'")
    void schedule(@Bind("ids") List<String> ids, @Bind("totals") List<Long> totalsMinor, @Bind("at") List<String> at);

    /**
     * Locks and returns up to {@code limit} drafts whose {@code auto_finalize_at} is at or before {@code now},
     * earliest first, skipping those another transaction holds (another worker, an edit, a finalize call).
     */
    @SqlQuery(InvoiceDao.INVOICE_SELECT + " WHERE i.status = 'draft' AND i.auto_finalize_at <= :now"
            + " ORDER BY i.auto_finalize_at, i.id LIMIT :limit FOR UPDATE OF i SKIP LOCKED")
    @UseRowMapper(Invoices.class)
    List<Invoice> claimDue(@Bind("now") Instant now, @Bind("limit") int limit);

    /** Sets a draft's memo, footer and automatic finalization instant (each null: none). */
    @SqlUpdate("UPDATE billing.invoices SET memo = :memo, footer = :footer, auto_finalize_at = :at"
            + " WHERE id = :id AND status = 'draft'")
    int setFields(
            @Bind("id") String id, @Bind("memo") String memo, @Bind("footer") String footer, @Bind("at") Instant at);

    /** Sets a draft's total (the sum of its lines after an edit). */
    @SqlUpdate("UPDATE billing.invoices SET total_minor = :total WHERE id = :id AND status = 'draft'")
    int setTotal(@Bind("id") String id, @Bind("total") long totalMinor);

    /** The number the next line of invoice {@code id} takes: after every line it has. */
    @SqlQuery("SELECT coalesce(max(line_number), 0) + 1 FROM billing.invoice_lines WHERE invoice_id = :id")
    int nextLineNumber(@Bind("id") String invoiceId);

    /** Removes line {@code lineId} of invoice {@code invoiceId}; returns how many rows went (0 or 1). */
    @SqlUpdate("DELETE FROM billing.invoice_lines WHERE id = :line AND invoice_id = :invoice")
    int deleteLine(@Bind("invoice") String invoiceId, @Bind("line") String lineId);

    /**
     * Locks customer {@code id}'s row until the transaction ends, as the billing cycle does before it reads a
     * customer's credit balance, so an edit and a bill of one customer never apply the same credit twice.
     */
    @SqlQuery("SELECT id FROM billing.customers WHERE id = :id FOR NO KEY UPDATE")
    String lockCustomer(@Bind("id") String customerId);

    /** Invoices of {@link InvoiceDao#INVOICE_SELECT} rows. */
    final class Invoices implements RowMapper<Invoice> {
        @Override
        public Invoice map(ResultSet rs, StatementContext ctx) throws SQLException {
            return InvoiceDao.invoice(rs);
        }
    }
}
