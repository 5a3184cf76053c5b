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

/** Products in {@code billing}, every read scoped to one organization and mode. */
@RegisterRowMapper(ProductDao.Rows.class)
public interface ProductDao {

    String COLUMNS = "id, organization_id, livemode, feature_key, name, description, type, active, created_at";

    /** Inserts a product, or returns empty when a metered product of its feature key exists. */
    @SqlQuery("INSERT INTO billing.products (id, organization_id, livemode, feature_key, name, description, type,"
            + " active) VALUES (:p.id, :p.organizationId, :p.livemode, :p.featureKey, :p.name, :p.description,"
            + " :p.type, :p.active) ON CONFLICT DO NOTHING RETURNING " + COLUMNS)
    Optional<Product> insert(@BindMethods("p") Product product);

    /** The product whose id or feature key is {@code value} (the id wins). */
    @SqlQuery("SELECT " + COLUMNS + " FROM billing.products WHERE organization_id = :org AND livemode = :livemode"
            + " AND (id = :value OR feature_key = :value) ORDER BY (id = :value) DESC LIMIT 1")
    Optional<Product> findByIdOrFeature(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("value") String value);

    /** Changes name, description and active of product {@code id}; empty when there is none. */
    @SqlQuery("UPDATE billing.products SET name = :name, description = :description, active = :active,"
            + " updated_at = now() WHERE organization_id = :org AND livemode = :livemode AND id = :id RETURNING "
            + COLUMNS)
    Optional<Product> update(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("id") String id,
            @Bind("name") String name,
            @Bind("description") String description,
            @Bind("active") boolean active);

    /** Up to {@code limit} products matching {@code q} after product {@code after} (null: from the oldest), oldest first. */
    @SqlQuery("SELECT " + COLUMNS + " FROM billing.products p WHERE p.organization_id = :org AND p.livemode = :livemode"
            + " AND (CAST(:q.type AS text) IS NULL OR p.type = :q.type)"
            + " AND (CAST(:q.active AS boolean) IS NULL OR p.active = :q.active)"
            + " AND (CAST(:q.featureKey AS text) IS NULL OR p.feature_key = :q.featureKey)"
            + " AND (CAST(:after AS text) IS NULL OR (p.created_at, p.id) >"
            + " (SELECT a.created_at, a.id FROM billing.products a WHERE a.id = :after))"
            + " ORDER BY p.created_at, p.id LIMIT :limit")
    List<Product> page(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @BindMethods("q") ProductQuery query,
            @Bind("after") String after,
            @Bind("limit") int limit);

    /** Whether product {@code id} is one of the organization's, in this mode. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.products"
            + " WHERE id = :id AND organization_id = :org AND livemode = :livemode)")
    boolean exists(@Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /** Reads a row of {@link #COLUMNS}. */
    final class Rows implements RowMapper<Product> {
        @Override
        public Product map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Product(
                    rs.getString("id"),
                    rs.getString("organization_id"),
                    rs.getBoolean("livemode"),
                    rs.getString("feature_key"),
                    rs.getString("name"),
                    rs.getString("description"),
                    rs.getString("type"),
                    rs.getBoolean("active"),
                    instant(rs, "created_at"));
        }
    }
}
