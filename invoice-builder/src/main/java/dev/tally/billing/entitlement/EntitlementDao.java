package dev.tally.billing.entitlement;

import static dev.tally.billing.Rows.instant;

import dev.tally.billing.catalog.Metadata;
import dev.tally.billing.ledger.LedgerDao;
import dev.tally.billing.ledger.LedgerEntry;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/** Entitlements in {@code billing}, by customer (a customer already read in the caller's organization and mode). */
@RegisterRowMapper(EntitlementDao.Rows.class)
public interface EntitlementDao {

    String COLUMNS = "id, organization_id, livemode, customer_id, feature_key, type, usage_limit, usage_period,"
            + " hard_limit, enabled, config, created_at";

    /** Inserts the entitlement; empty when the customer has one to that feature already. */
    @SqlQuery("INSERT INTO billing.entitlements (id, organization_id, livemode, customer_id, feature_key, type,"
            + " usage_limit, usage_period, hard_limit, enabled, config, created_at) VALUES (:id, :org, :livemode,"
            + " :customer, :feature, :type, :limit, :period, :hardLimit, :enabled, CAST(:config AS jsonb), :createdAt)"
            + " ON CONFLICT (customer_id, feature_key) DO NOTHING RETURNING " + COLUMNS)
    Optional<Entitlement> insert(
            @Bind("id") String id,
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("customer") String customerId,
            @Bind("feature") String featureKey,
            @Bind("type") String type,
            @Bind("limit") BigDecimal limit,
            @Bind("period") String period,
            @Bind("hardLimit") Boolean hardLimit,
            @Bind("enabled") Boolean enabled,
            @Bind("config") String configJson,
            @Bind("createdAt") Instant createdAt);

    /** Inserts {@code request} for customer {@code customerId}; empty when it has one to that feature already. */
    default Optional<Entitlement> insert(
            String id,
            String organizationId,
            boolean livemode,
            String customerId,
            EntitlementRequest request,
            Instant createdAt) {
        return insert(
                id,
                organizationId,
                livemode,
                customerId,
                request.featureKey(),
                request.type().text(),
                request.limit(),
                request.period() == null ? null : request.period().text(),
                request.hardLimit(),
                request.enabled(),
                request.config() == null ? null : Metadata.toJson(request.config()),
                createdAt);
    }

    /** The customer's entitlements, by feature. */
    @SqlQuery("SELECT " + COLUMNS + " FROM billing.entitlements WHERE customer_id = :customer ORDER BY feature_key")
    List<Entitlement> ofCustomer(@Bind("customer") String customerId);

    @SqlQuery(
            "SELECT " + COLUMNS + " FROM billing.entitlements WHERE customer_id = :customer AND feature_key = :feature")
    Optional<Entitlement> find(@Bind("customer") String customerId, @Bind("feature") String featureKey);

    /** Deletes the customer's entitlement to the feature; whether there was one. */
    @SqlUpdate("DELETE FROM billing.entitlements WHERE customer_id = :customer AND feature_key = :feature")
    boolean delete(@Bind("customer") String customerId, @Bind("feature") String featureKey);

    /** Whether an active meter of the organization and mode counts {@code featureKey}. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.meters WHERE organization_id = :org AND livemode = :livemode"
            + " AND feature_key = :feature AND archived_at IS NULL)")
    boolean metered(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("feature") String featureKey);

    /**
     * Every revision of the ledger's windows of customer {@code customer} (the external id usage events name) and
     * {@code feature} starting in {@code [from, to)}, whoever billed them: an entitlement counts usage, not bills.
     */
    @SqlQuery("SELECT * FROM billing.usage_ledger WHERE organization_id = :org AND livemode = :livemode"
            + " AND customer = :customer AND feature = :feature AND window_start >= :from AND window_start < :to"
            + " ORDER BY id")
    @UseRowMapper(LedgerRows.class)
    List<LedgerEntry> ledger(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("customer") String customer,
            @Bind("feature") String feature,
            @Bind("from") Instant from,
            @Bind("to") Instant to);

    final class LedgerRows implements RowMapper<LedgerEntry> {
        @Override
        public LedgerEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
            return LedgerDao.entry(rs);
        }
    }

    final class Rows implements RowMapper<Entitlement> {
        @Override
        public Entitlement map(ResultSet rs, StatementContext ctx) throws SQLException {
            String period = rs.getString("usage_period");
            String config = rs.getString("config");
            return new Entitlement(
                    rs.getString("id"),
                    rs.getString("organization_id"),
                    rs.getBoolean("livemode"),
                    rs.getString("customer_id"),
                    rs.getString("feature_key"),
                    EntitlementType.of(rs.getString("type")).orElseThrow(),
                    rs.getBigDecimal("usage_limit"),
                    period == null ? null : ResetPeriod.of(period).orElseThrow(),
                    rs.getObject("hard_limit", Boolean.class),
                    rs.getObject("enabled", Boolean.class),
                    config == null ? null : Metadata.fromJson(config),
                    instant(rs, "created_at"));
        }
    }
}
