package dev.tally.billing.meter;

import static dev.tally.billing.Rows.instant;

import dev.tally.schemas.avro.Aggregation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Meters in {@code billing}, always read within one organization and mode. */
public final class MeterDao {

    private static final String COLUMNS = "id, organization_id, livemode, feature_key, aggregation, value_property,"
            + " created_at, updated_at, archived_at";

    private final Handle handle;

    public MeterDao(Handle handle) {
        this.handle = handle;
    }

    /** Inserts an active meter, or returns empty when its feature already has an active meter. */
    public Optional<Meter> insert(
            String id,
            String organizationId,
            boolean livemode,
            String feature,
            Aggregation aggregation,
            String property) {
        // the partial unique index decides the race between two creates of the same feature
        return handle.createQuery("INSERT INTO billing.meters (id, organization_id, livemode, feature_key,"
                        + " aggregation, value_property) VALUES (:id, :org, :livemode, :feature, :aggregation,"
                        + " :property) ON CONFLICT (organization_id, livemode, feature_key) WHERE archived_at IS NULL"
                        + " DO NOTHING RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("feature", feature)
                .bind("aggregation", Meter.text(aggregation))
                .bind("property", property)
                .map((rs, ctx) -> meter(rs))
                .findOne();
    }

    /** The meter {@code id} of the organization and mode, locked for update. */
    public Optional<Meter> meterForUpdate(String organizationId, boolean livemode, String id) {
        return find(organizationId, livemode, id, " FOR UPDATE");
    }

    public Optional<Meter> meter(String organizationId, boolean livemode, String id) {
        return find(organizationId, livemode, id, "");
    }

    private Optional<Meter> find(String organizationId, boolean livemode, String id, String lock) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM billing.meters WHERE organization_id = :org"
                        + " AND livemode = :livemode AND id = :id" + lock)
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("id", id)
                .map((rs, ctx) -> meter(rs))
                .findOne();
    }

    /** Archives meter {@code id} (which must be active) now and returns its new state. */
    public Meter archive(String id) {
        return handle.createQuery("UPDATE billing.meters SET archived_at = now(), updated_at = now()"
                        + " WHERE id = :id AND archived_at IS NULL RETURNING " + COLUMNS)
                .bind("id", id)
                .map((rs, ctx) -> meter(rs))
                .one();
    }

    static Meter meter(ResultSet rs) throws SQLException {
        return new Meter(
                rs.getString("id"),
                rs.getString("organization_id"),
                rs.getBoolean("livemode"),
                rs.getString("feature_key"),
                Aggregation.valueOf(rs.getString("aggregation").toUpperCase(Locale.ROOT)),
                rs.getString("value_property"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "archived_at"));
    }
}
