package dev.tally.billing.catalog;

import static dev.tally.billing.Rows.instant;

import dev.tally.billing.invoice.PaymentTerms;
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

/**
 * Customers in {@code billing}. Every read names the organization and mode, so a key never reaches
 * another tenant's customer; writes go by id, to a customer read (and locked) that way first.
 * Unique violations (external id, active e-mail address) reach the caller as JDBI exceptions.
 */
@RegisterRowMapper(CustomerDao.Rows.class)
public interface CustomerDao {

    String COLUMNS = "id, organization_id, livemode, external_id, name, email, phone, time_zone, currency,"
            + " app_metadata, internal_metadata, payment_terms_days, version, created_at, updated_at, archived_at";

    String FIELDS = "name = :f.name, email = :f.email, phone = :f.phone, time_zone = :f.timeZone,"
            + " currency = :f.currency, app_metadata = CAST(:f.appMetadataJson AS jsonb),"
            + " internal_metadata = CAST(:f.internalMetadataJson AS jsonb), payment_terms_days = :f.paymentTermsDays";

    /** Inserts a customer at version 1; without a zone it gets its organization's (a trigger). */
    @SqlQuery("INSERT INTO billing.customers (id, organization_id, livemode, external_id, name, email, phone,"
            + " time_zone, currency, app_metadata, internal_metadata, payment_terms_days) VALUES (:id, :org, :livemode,"
            + " :externalId, :f.name, :f.email, :f.phone, :f.timeZone, :f.currency, CAST(:f.appMetadataJson AS jsonb),"
            + " CAST(:f.internalMetadataJson AS jsonb), :f.paymentTermsDays) RETURNING " + COLUMNS)
    Customer insert(
            @Bind("id") String id,
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("externalId") String externalId,
            @BindMethods("f") CustomerFields fields);

    @SqlQuery("SELECT " + COLUMNS + " FROM billing.customers"
            + " WHERE organization_id = :org AND livemode = :livemode AND id = :id")
    Optional<Customer> find(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /** Customer {@code id} of the organization and mode, locked until the transaction ends. */
    @SqlQuery("SELECT " + COLUMNS + " FROM billing.customers"
            + " WHERE organization_id = :org AND livemode = :livemode AND id = :id FOR UPDATE")
    Optional<Customer> findForUpdate(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /**
     * The customer whose id or external id is {@code value}: an external id may look like another
     * customer's id ({@code cus_X1} is a valid external id), and then the id wins.
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM billing.customers WHERE organization_id = :org AND livemode = :livemode"
            + " AND (id = :value OR external_id = :value) ORDER BY (id = :value) DESC LIMIT 1")
    Optional<Customer> findByIdOrExternalId(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("value") String value);

    /** Sets the fields of customer {@code id} and counts one more version. */
    @SqlQuery("UPDATE billing.customers SET " + FIELDS + ", version = version + 1, updated_at = now()"
            + " WHERE id = :id RETURNING " + COLUMNS)
    Customer update(@Bind("id") String id, @BindMethods("f") CustomerFields fields);

    /** Archives customer {@code id} now, one more version; empty if it already was archived. */
    @SqlQuery("UPDATE billing.customers SET archived_at = now(), version = version + 1, updated_at = now()"
            + " WHERE id = :id AND archived_at IS NULL RETURNING " + COLUMNS)
    Optional<Customer> archive(@Bind("id") String id);

    /** Up to {@code limit} customers matching {@code q} after customer {@code after} (null: from the oldest). */
    @SqlQuery("SELECT " + COLUMNS + " FROM billing.customers c"
            + " WHERE c.organization_id = :org AND c.livemode = :livemode"
            + " AND (c.archived_at IS NOT NULL) = :q.archived"
            + " AND (CAST(:q.email AS text) IS NULL OR lower(c.email) = lower(:q.email))"
            + " AND (CAST(:q.externalId AS text) IS NULL OR c.external_id = :q.externalId)"
            + " AND (CAST(:q.createdAfter AS timestamptz) IS NULL OR c.created_at > :q.createdAfter)"
            + " AND (CAST(:q.createdBefore AS timestamptz) IS NULL OR c.created_at < :q.createdBefore)"
            // a customer written with triggers off has no account yet: active, as the API shows it
            + " AND (CAST(:q.billingState AS text) IS NULL OR coalesce((SELECT ba.state FROM billing.billing_accounts ba"
            + " WHERE ba.customer_id = c.id), 'active') = :q.billingState)"
            + " AND (CAST(:after AS text) IS NULL OR (c.created_at, c.id) >"
            + " (SELECT a.created_at, a.id FROM billing.customers a WHERE a.id = :after))"
            + " ORDER BY c.created_at, c.id LIMIT :limit")
    List<Customer> page(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @BindMethods("q") CustomerQuery query,
            @Bind("after") String after,
            @Bind("limit") int limit);

    /** Whether customer {@code id} is one of the organization's, in this mode. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.customers"
            + " WHERE id = :id AND organization_id = :org AND livemode = :livemode)")
    boolean exists(@Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /** A customer row as {@link #COLUMNS} selects it. */
    final class Rows implements RowMapper<Customer> {
        @Override
        public Customer map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Customer(
                    rs.getString("id"),
                    rs.getString("organization_id"),
                    rs.getBoolean("livemode"),
                    rs.getString("external_id"),
                    rs.getString("name"),
                    rs.getString("email"),
                    rs.getString("phone"),
                    rs.getString("time_zone"),
                    rs.getString("currency"),
                    Metadata.fromJson(rs.getString("app_metadata")),
                    Metadata.fromJson(rs.getString("internal_metadata")),
                    PaymentTerms.ofDays(rs.getObject("payment_terms_days", Integer.class)),
                    rs.getLong("version"),
                    instant(rs, "created_at"),
                    instant(rs, "updated_at"),
                    instant(rs, "archived_at"));
        }
    }
}
