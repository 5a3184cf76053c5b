package dev.tally.billing.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/** Pages of a customer's ledger, by window, feature, window key, revision. */
public interface LedgerPageDao {

    /**
     * One statement and whether it is superseded: another statement of its window has a higher
     * revision, or the same revision and was recorded first (the rule of {@link
     * UsageMerge#latestRevisions}, computed in SQL so that it holds across pages).
     */
    record Row(LedgerEntry entry, boolean superseded) {}

    @SqlQuery("SELECT l.*, EXISTS (SELECT 1 FROM billing.usage_ledger h WHERE h.organization_id = l.organization_id"
            + " AND h.livemode = l.livemode AND h.window_key = l.window_key"
            + " AND (h.revision > l.revision OR (h.revision = l.revision AND h.id < l.id))) AS superseded"
            + " FROM billing.usage_ledger l"
            + " WHERE l.organization_id = :org AND l.livemode = :livemode AND l.customer = :customer"
            + " AND (CAST(:after AS text) IS NULL OR (l.window_start, l.feature, l.window_key, l.revision, l.id) >"
            + " (SELECT a.window_start, a.feature, a.window_key, a.revision, a.id FROM billing.usage_ledger a"
            + " WHERE a.aggregate_id = :after AND a.organization_id = :org AND a.livemode = :livemode))"
            + " ORDER BY l.window_start, l.feature, l.window_key, l.revision, l.id LIMIT :limit")
    @UseRowMapper(Rows.class)
    List<Row> entries(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("customer") String customer,
            @Bind("after") String afterAggregateId,
            @Bind("limit") int limit);

    /** Whether statement {@code aggregateId} is one of the customer's. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.usage_ledger WHERE aggregate_id = :id"
            + " AND organization_id = :org AND livemode = :livemode AND customer = :customer)")
    boolean exists(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("customer") String customer,
            @Bind("id") String aggregateId);

    /** Reads a ledger row and its {@code superseded} column. */
    final class Rows implements RowMapper<Row> {
        @Override
        public Row map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Row(LedgerDao.entry(rs), rs.getBoolean("superseded"));
        }
    }
}
