package dev.tally.billing.tenant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/** Pages of an organization's API keys, oldest first. */
public interface KeyPageDao {

    @SqlQuery("SELECT * FROM billing.api_keys k WHERE k.organization_id = :org"
            + " AND (CAST(:after AS text) IS NULL OR (k.created_at, k.id) >"
            + " (SELECT a.created_at, a.id FROM billing.api_keys a WHERE a.id = :after))"
            + " ORDER BY k.created_at, k.id LIMIT :limit")
    @UseRowMapper(Rows.class)
    List<ApiKey> keys(@Bind("org") String organizationId, @Bind("after") String after, @Bind("limit") int limit);

    /** Whether key {@code id} is one of the organization's. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.api_keys WHERE id = :id AND organization_id = :org)")
    boolean exists(@Bind("org") String organizationId, @Bind("id") String id);

    /** Reads a key row as {@link TenantDao} selects it. */
    final class Rows implements RowMapper<ApiKey> {
        @Override
        public ApiKey map(ResultSet rs, StatementContext ctx) throws SQLException {
            return TenantDao.key(rs);
        }
    }
}
