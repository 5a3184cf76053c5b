package dev.tally.billing.ledger;

import static dev.tally.billing.Rows.instant;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.UsageAggregate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The usage ledger in {@code billing}: one row per usage aggregate, written once. */
public final class LedgerDao {

    private static final String COLUMNS = "id, aggregate_id, organization_id, livemode, customer, feature,"
            + " window_start, window_end, quantity, event_count, kind, recorded_at, invoice_line_id";

    private final Handle handle;

    public LedgerDao(Handle handle) {
        this.handle = handle;
    }

    /**
     * Records {@code aggregate} unless its aggregate id is already in the ledger.
     *
     * @return whether a row was inserted
     */
    public boolean record(UsageAggregate aggregate, String topic, int partition, long offset) {
        return handle.createUpdate("INSERT INTO billing.usage_ledger (aggregate_id, organization_id, livemode,"
                                + " customer, feature, window_start, window_end, quantity, event_count, kind, source_topic,"
                                + " source_partition, source_offset) VALUES (:aggregateId, :org, :livemode, :customer,"
                                + " :feature, :windowStart, :windowEnd, :quantity, :eventCount, :kind, :topic, :partition,"
                                + " :offset) ON CONFLICT (aggregate_id) DO NOTHING")
                        .bind("aggregateId", aggregate.getAggregateId())
                        .bind("org", aggregate.getOrganizationId())
                        .bind("livemode", aggregate.getLivemode())
                        .bind("customer", aggregate.getCustomerId())
                        .bind("feature", aggregate.getFeature())
                        .bind("windowStart", aggregate.getWindowStart())
                        .bind("windowEnd", aggregate.getWindowEnd())
                        .bind("quantity", Decimals.quantity(aggregate.getQuantity()))
                        .bind("eventCount", aggregate.getEventCount())
                        .bind("kind", aggregate.getKind() == AggregateKind.CORRECTION ? "correction" : "window")
                        .bind("topic", topic)
                        .bind("partition", partition)
                        .bind("offset", offset)
                        .execute()
                == 1;
    }

    /** A customer's ledger (by the id apps use for it), oldest window first. */
    public List<LedgerEntry> entries(String organizationId, boolean livemode, String customer) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM billing.usage_ledger WHERE organization_id = :org"
                        + " AND livemode = :livemode AND customer = :customer ORDER BY window_start, id")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("customer", customer)
                .map((rs, ctx) -> entry(rs))
                .list();
    }

    /** Un-billed rows of an organization and mode whose window starts before {@code end}, locked. */
    public List<LedgerEntry> unbilledBefore(String organizationId, boolean livemode, Instant end) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM billing.usage_ledger WHERE organization_id = :org"
                        + " AND livemode = :livemode AND invoice_line_id IS NULL AND window_start < :end"
                        + " ORDER BY id FOR UPDATE")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("end", end)
                .map((rs, ctx) -> entry(rs))
                .list();
    }

    /** Marks ledger rows {@code ids} as billed by {@code invoiceLineId}. */
    public void markBilled(List<Long> ids, String invoiceLineId) {
        if (!ids.isEmpty()) {
            handle.createUpdate("UPDATE billing.usage_ledger SET invoice_line_id = :line WHERE id = ANY(:ids)")
                    .bind("line", invoiceLineId)
                    .bindArray("ids", Long.class, ids)
                    .execute();
        }
    }

    private static LedgerEntry entry(ResultSet rs) throws SQLException {
        return new LedgerEntry(
                rs.getLong("id"),
                rs.getString("aggregate_id"),
                rs.getString("organization_id"),
                rs.getBoolean("livemode"),
                rs.getString("customer"),
                rs.getString("feature"),
                instant(rs, "window_start"),
                instant(rs, "window_end"),
                rs.getBigDecimal("quantity"),
                rs.getLong("event_count"),
                rs.getString("kind"),
                instant(rs, "recorded_at"),
                rs.getString("invoice_line_id"));
    }
}
