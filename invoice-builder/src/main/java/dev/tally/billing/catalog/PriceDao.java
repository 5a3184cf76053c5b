package dev.tally.billing.catalog;

import static dev.tally.billing.Rows.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Prices in {@code billing}, each read with its product's feature key and scoped to one organization and mode. */
@RegisterRowMapper(PriceDao.Rows.class)
public interface PriceDao {

    String SELECT = "SELECT p.id, p.organization_id, p.livemode, p.product_id, d.feature_key, p.currency,"
            + " p.unit_amount, p.model, p.definition::text AS definition, p.created_at"
            + " FROM billing.prices p JOIN billing.products d ON d.id = p.product_id";

    @SqlUpdate("INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, unit_amount, model,"
            + " definition) VALUES (:p.id, :p.organizationId, :p.livemode, :p.productId, :p.currency, :p.unitAmount,"
            + " :p.model, CAST(:p.definition AS jsonb))")
    void insert(@BindMethods("p") Price price);

    @SqlQuery(SELECT + " WHERE p.organization_id = :org AND p.livemode = :livemode AND p.id = :id")
    Optional<Price> find(@Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /** Up to {@code limit} prices matching {@code q} after price {@code after} (null: from the oldest), oldest first. */
    @SqlQuery(SELECT + " WHERE p.organization_id = :org AND p.livemode = :livemode"
            + " AND (CAST(:q.productId AS text) IS NULL OR p.product_id = :q.productId)"
            + " AND (CAST(:q.currency AS text) IS NULL OR p.currency = :q.currency)"
            + " AND (CAST(:q.model AS text) IS NULL OR p.model = :q.model)"
            + " AND (CAST(:q.active AS boolean) IS NULL OR d.active = :q.active)"
            + " AND (CAST(:after AS text) IS NULL OR (p.created_at, p.id) >"
            + " (SELECT a.created_at, a.id FROM billing.prices a WHERE a.id = :after))"
            + " ORDER BY p.created_at, p.id LIMIT :limit")
    List<Price> page(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @BindMethods("q") PriceQuery query,
            @Bind("after") String after,
            @Bind("limit") int limit);

    /** Whether price {@code id} is one of the organization's, in this mode. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.prices"
            + " WHERE id = :id AND organization_id = :org AND livemode = :livemode)")
    boolean exists(@Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /** Reads a row of {@link #SELECT}; the currency column is {@code char(3)}, stripped for safety. */
    final class Rows implements RowMapper<Price> {
        @Override
        public Price map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Price(
                    rs.getString("id"),
                    rs.getString("organization_id"),
                    rs.getBoolean("livemode"),
                    rs.getString("product_id"),
                    rs.getString("feature_key"),
                    rs.getString("currency").strip(),
                    rs.getBigDecimal("unit_amount"),
                    rs.getString("model"),
                    rs.getString("definition"),
                    instant(rs, "created_at"));
        }
    }
}
