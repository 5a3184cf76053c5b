package dev.tally.billing.tenant;

import static dev.tally.billing.Rows.instant;

import dev.tally.billing.invoice.AutoFinalizeDelay;
import dev.tally.billing.invoice.PaymentTerms;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** Organizations and API keys in {@code billing}. */
public final class TenantDao {

    private static final String KEY_COLUMNS =
            "id, organization_id, key_hash, key_prefix, livemode, scopes, expires_at, revoked_at, created_at, last_used_at";

    private static final String ORGANIZATION_COLUMNS =
            "id, name, unknown_feature, time_zone, invoice_prefix, payment_terms_days, grace_days, created_at, updated_at,"
                    + " auto_finalize_delay_seconds, late_usage_credit_notes";

    private final Handle handle;

    public TenantDao(Handle handle) {
        this.handle = handle;
    }

    /**
     * Inserts an organization whose settings the caller enqueues in the same transaction; a null {@code
     * invoicePrefix} takes the default the database derives from the name (V27).
     */
    public Organization insertOrganization(String id, OrganizationFields fields) {
        return withFields(
                        handle.createQuery("INSERT INTO billing.organizations (id, name, unknown_feature, time_zone,"
                                + " invoice_prefix, payment_terms_days, grace_days, auto_finalize_delay_seconds,"
                                + " late_usage_credit_notes,"
                                + " settings_enqueued_at) VALUES (:id, :name, :policy, :zone, :prefix, :terms, :graceDays,"
                                + " :autoFinalize, :lateUsageCreditNotes, now()) RETURNING "
                                + ORGANIZATION_COLUMNS),
                        fields)
                .bind("id", id)
                .map((rs, ctx) -> organization(rs))
                .one();
    }

    private static Query withFields(Query query, OrganizationFields fields) {
        return query.bind("name", fields.name())
                .bind("policy", Organization.text(fields.unknownFeature()))
                .bind("zone", fields.timeZone())
                .bind("prefix", fields.invoicePrefix())
                .bind("terms", fields.paymentTerms().days())
                .bind("graceDays", fields.graceDays())
                .bind("autoFinalize", fields.autoFinalizeDelay().seconds())
                .bind("lateUsageCreditNotes", fields.lateUsageCreditNotes());
    }

    public Optional<Organization> organization(String id) {
        return handle.createQuery("SELECT " + ORGANIZATION_COLUMNS + " FROM billing.organizations WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> organization(rs))
                .findOne();
    }

    /** Organization {@code id} locked for update. */
    public Optional<Organization> organizationForUpdate(String id) {
        return handle.createQuery(
                        "SELECT " + ORGANIZATION_COLUMNS + " FROM billing.organizations WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map((rs, ctx) -> organization(rs))
                .findOne();
    }

    /** Sets every field of organization {@code id} to {@code fields}; returns its new state. */
    public Organization updateOrganization(String id, OrganizationFields fields) {
        return withFields(
                        handle.createQuery("UPDATE billing.organizations SET name = :name, unknown_feature = :policy,"
                                + " time_zone = :zone, invoice_prefix = :prefix, payment_terms_days = :terms,"
                                + " grace_days = :graceDays, auto_finalize_delay_seconds = :autoFinalize,"
                                + " late_usage_credit_notes = :lateUsageCreditNotes, updated_at = now()"
                                + " WHERE id = :id RETURNING "
                                + ORGANIZATION_COLUMNS),
                        fields)
                .bind("id", id)
                .map((rs, ctx) -> organization(rs))
                .one();
    }

    /**
     * Claims the organizations whose settings were never enqueued (created before settings existed):
     * marks them enqueued and returns them, for the caller to enqueue in the same transaction. Two
     * instances starting together cannot both claim one: the second waits on the row lock and then
     * no longer matches.
     */
    public List<Organization> claimOrganizationsWithoutSettings() {
        return handle.createQuery("UPDATE billing.organizations SET settings_enqueued_at = now()"
                        + " WHERE settings_enqueued_at IS NULL RETURNING " + ORGANIZATION_COLUMNS)
                .map((rs, ctx) -> organization(rs))
                .list();
    }

    public ApiKey insertKey(
            String id,
            String organizationId,
            String hash,
            String prefix,
            boolean livemode,
            List<String> scopes,
            Instant expiresAt) {
        return handle.createQuery("INSERT INTO billing.api_keys"
                        + " (id, organization_id, key_hash, key_prefix, livemode, scopes, expires_at)"
                        + " VALUES (:id, :org, :hash, :prefix, :livemode, :scopes, :expiresAt) RETURNING "
                        + KEY_COLUMNS)
                .bind("id", id)
                .bind("org", organizationId)
                .bind("hash", hash)
                .bind("prefix", prefix)
                .bind("livemode", livemode)
                .bindArray("scopes", String.class, scopes)
                .bind("expiresAt", expiresAt)
                .map((rs, ctx) -> key(rs))
                .one();
    }

    public Optional<ApiKey> keyByHash(String hash) {
        return handle.createQuery("SELECT " + KEY_COLUMNS + " FROM billing.api_keys WHERE key_hash = :hash")
                .bind("hash", hash)
                .map((rs, ctx) -> key(rs))
                .findOne();
    }

    /** Keys whose id or visible prefix is {@code idOrPrefix}, locked for update. */
    public List<ApiKey> keysByIdOrPrefixForUpdate(String idOrPrefix) {
        return handle.createQuery("SELECT " + KEY_COLUMNS + " FROM billing.api_keys"
                        + " WHERE id = :value OR key_prefix = :value ORDER BY created_at FOR UPDATE")
                .bind("value", idOrPrefix)
                .map((rs, ctx) -> key(rs))
                .list();
    }

    /**
     * Records that the key with hash {@code keyHash} was used at {@code at}, unless a later use is
     * already known (reports may arrive late or twice). An unknown hash changes nothing.
     */
    public void recordUse(String keyHash, Instant at) {
        // GREATEST ignores NULL, so the first report sets the column.
        handle.createUpdate("UPDATE billing.api_keys SET last_used_at = GREATEST(last_used_at, :at)"
                        + " WHERE key_hash = :hash")
                .bind("hash", keyHash)
                .bind("at", at)
                .execute();
    }

    /** Revokes key {@code id} at {@code at} unless already revoked; returns its state. */
    public ApiKey revoke(String id, Instant at) {
        return handle.createQuery("UPDATE billing.api_keys SET revoked_at = coalesce(revoked_at, :at)"
                        + " WHERE id = :id RETURNING " + KEY_COLUMNS)
                .bind("id", id)
                .bind("at", at)
                .map((rs, ctx) -> key(rs))
                .one();
    }

    private static Organization organization(ResultSet rs) throws SQLException {
        return new Organization(
                rs.getString("id"),
                rs.getString("name"),
                Organization.policy(rs.getString("unknown_feature")),
                rs.getString("time_zone"),
                rs.getString("invoice_prefix"),
                PaymentTerms.ofDays(rs.getInt("payment_terms_days")),
                rs.getInt("grace_days"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                AutoFinalizeDelay.ofSeconds(rs.getInt("auto_finalize_delay_seconds")),
                rs.getBoolean("late_usage_credit_notes"));
    }

    static ApiKey key(ResultSet rs) throws SQLException {
        Array scopes = rs.getArray("scopes");
        return new ApiKey(
                rs.getString("id"),
                rs.getString("organization_id"),
                rs.getString("key_hash"),
                rs.getString("key_prefix"),
                rs.getBoolean("livemode"),
                Arrays.asList((String[]) scopes.getArray()),
                instant(rs, "expires_at"),
                instant(rs, "revoked_at"),
                instant(rs, "created_at"),
                instant(rs, "last_used_at"));
    }
}
