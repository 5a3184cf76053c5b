package dev.tally.billing.meter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/** Pages of an organization's meters, oldest first. */
public interface MeterPageDao {

    @SqlQuery("SELECT * FROM billing.meters m WHERE m.organization_id = :org AND m.livemode = :livemode"
            + " AND (:archived OR m.archived_at IS NULL)"
            + " AND (CAST(:after AS text) IS NULL OR (m.created_at, m.id) >"
            + " (SELECT a.created_at, a.id FROM billing.meters a WHERE a.id = :after))"
            + " ORDER BY m.created_at, m.id LIMIT :limit")
    @UseRowMapper(Rows.class)
    List<Meter> meters(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("archived") boolean includeArchived,
            @Bind("after") String after,
            @Bind("limit") int limit);

    /** Whether meter {@code id} is one of the organization's, in this mode. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.meters WHERE id = :id AND organization_id = :org"
            + " AND livemode = :livemode)")
    boolean exists(@Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /** Reads a meter row as {@link MeterDao} selects it. */
    final class Rows implements RowMapper<Meter> {
        @Override
        public Meter map(ResultSet rs, StatementContext ctx) throws SQLException {
            return MeterDao.meter(rs);
        }
    }
}
