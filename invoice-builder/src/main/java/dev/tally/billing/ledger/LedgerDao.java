package dev.tally.billing.ledger;

import static dev.tally.billing.Rows.instant;

import dev.tally.billing.subscription.SubscriptionDao;
import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.topic.Keys;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** The usage ledger in {@code billing}: one row per usage statement (window revision), written once. */
public final class LedgerDao {

    private static final List<String> COLUMNS = List.of(
            "id",
            "aggregate_id",
            "window_key",
            "organization_id",
            "livemode",
            "customer",
            "feature",
            "window_start",
            "window_end",
            "quantity",
            "event_count",
            "kind",
            "aggregation",
            "revision",
            "latest_at",
            "recorded_at",
            "invoice_line_id");

    private final Handle handle;

    public LedgerDao(Handle handle) {
        this.handle = handle;
    }

    /** The ledger's columns, qualified by {@code alias}, in the order {@link #entry} reads them. */
    public static String columns(String alias) {
        return COLUMNS.stream().map(c -> alias + "." + c).collect(Collectors.joining(", "));
    }

    /**
     * Records one part of a statement, idempotently whatever the order parts and revisions arrive
     * in: part 0 makes the statement's ledger row unless its aggregate id is already in the ledger
     * (parts k &gt; 0 make none); every part is noted in {@link WindowValuesDao} and, the first
     * time it is received, a UNIQUE_COUNT part's values added and removed are stored there as
     * changes at the statement's revision (other aggregations carry no values). A restatement makes
     * the customer's subscriptions that ran during its window due for the billing cycle, which bills
     * the difference as an adjustment.
     *
     * @return whether anything was recorded (false for a redelivery)
     */
    public boolean record(UsageAggregate aggregate, String topic, int partition, long offset) {
        String windowKey = Keys.window(
                aggregate.getOrganizationId(),
                aggregate.getLivemode(),
                aggregate.getCustomerId(),
                aggregate.getFeature(),
                aggregate.getWindowStart().toEpochMilli());
        boolean inserted = aggregate.getPart() == 0 && insertStatement(aggregate, windowKey, topic, partition, offset);
        if (inserted && aggregate.getRevision() > 0) {
            handle.attach(SubscriptionDao.class)
                    .planRestatedWindow(
                            aggregate.getOrganizationId(),
                            aggregate.getLivemode(),
                            aggregate.getCustomerId(),
                            aggregate.getWindowStart(),
                            aggregate.getWindowEnd());
        }
        WindowValuesDao values = handle.attach(WindowValuesDao.class);
        boolean newPart = values.recordPart(
                aggregate.getOrganizationId(),
                aggregate.getLivemode(),
                windowKey,
                aggregate.getRevision(),
                aggregate.getPart(),
                aggregate.getParts());
        if (newPart && aggregate.getAggregation() == Aggregation.UNIQUE_COUNT) {
            recordChanges(values, aggregate, windowKey, true, aggregate.getValuesAdded());
            recordChanges(values, aggregate, windowKey, false, aggregate.getValuesRemoved());
        }
        return inserted || newPart;
    }

    private static void recordChanges(
            WindowValuesDao values, UsageAggregate aggregate, String windowKey, boolean present, List<String> changed) {
        // most restatements change one value, and only one way: skip the empty side's round trip
        if (!changed.isEmpty()) {
            values.recordChanges(
                    aggregate.getOrganizationId(),
                    aggregate.getLivemode(),
                    windowKey,
                    aggregate.getRevision(),
                    present,
                    changed);
        }
    }

    private boolean insertStatement(
            UsageAggregate aggregate, String windowKey, String topic, int partition, long offset) {
        return handle.createUpdate("INSERT INTO billing.usage_ledger (aggregate_id, window_key,"
                                + " organization_id, livemode, customer, feature, window_start, window_end, quantity,"
                                + " event_count, kind, aggregation, revision, latest_at, source_topic,"
                                + " source_partition, source_offset) VALUES (:aggregateId, :windowKey, :org,"
                                + " :livemode, :customer, :feature, :windowStart, :windowEnd, :quantity, :eventCount,"
                                + " :kind, :aggregation, :revision, :latestAt, :topic, :partition, :offset)"
                                + " ON CONFLICT (aggregate_id) DO NOTHING")
                        .bind("aggregateId", aggregate.getAggregateId())
                        .bind("windowKey", windowKey)
                        .bind("org", aggregate.getOrganizationId())
                        .bind("livemode", aggregate.getLivemode())
                        .bind("customer", aggregate.getCustomerId())
                        .bind("feature", aggregate.getFeature())
                        .bind("windowStart", aggregate.getWindowStart())
                        .bind("windowEnd", aggregate.getWindowEnd())
                        .bind("quantity", Decimals.quantity(aggregate.getQuantity()))
                        .bind("eventCount", aggregate.getEventCount())
                        .bind("kind", aggregate.getKind() == AggregateKind.CORRECTION ? "correction" : "window")
                        .bind("aggregation", aggregate.getAggregation().name().toLowerCase(Locale.ROOT))
                        .bind("revision", aggregate.getRevision())
                        .bind("latestAt", aggregate.getLatestAt())
                        .bind("topic", topic)
                        .bind("partition", partition)
                        .bind("offset", offset)
                        .execute()
                == 1;
    }

    /**
     * Un-billed rows of an organization and mode whose window starts before {@code end}, locked, except
     * those of windows a subscription's line billed: a window belongs to whichever billed it first, and
     * the billing cycle adjusts its subscriptions' windows itself.
     */
    public List<LedgerEntry> unbilledBefore(String organizationId, boolean livemode, Instant end) {
        return handle.createQuery("SELECT " + columns("l") + " FROM billing.usage_ledger l"
                        + " WHERE l.organization_id = :org AND l.livemode = :livemode"
                        + " AND l.invoice_line_id IS NULL AND l.window_start < :end"
                        + " AND NOT EXISTS (SELECT 1 FROM billing.usage_ledger b"
                        + " JOIN billing.invoice_lines il ON il.id = b.invoice_line_id"
                        + " WHERE b.organization_id = l.organization_id AND b.livemode = l.livemode"
                        + " AND b.window_key = l.window_key AND il.subscription_id IS NOT NULL)"
                        + " ORDER BY l.id FOR UPDATE OF l")
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

    /**
     * Marks rows {@code ids} billed by credit note {@code creditNoteId}, a note of late usage correcting invoice line
     * {@code invoiceLineId} (V32: the line stays the billing mark, the note says what billed the rows).
     */
    public void markCredited(List<Long> ids, String invoiceLineId, String creditNoteId) {
        if (!ids.isEmpty()) {
            handle.createUpdate("UPDATE billing.usage_ledger SET invoice_line_id = :line, credit_note_id = :note"
                            + " WHERE id = ANY(:ids)")
                    .bind("line", invoiceLineId)
                    .bind("note", creditNoteId)
                    .bindArray("ids", Long.class, ids)
                    .execute();
        }
    }

    /** {@link #markBilled} of the rows of each line of {@code rowsByLine} (line id to ledger row ids), in one statement. */
    public void markBilled(Map<String, List<Long>> rowsByLine) {
        List<Long> ids = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        rowsByLine.forEach((line, rows) -> rows.forEach(row -> {
            ids.add(row);
            lines.add(line);
        }));
        if (!ids.isEmpty()) {
            handle.createUpdate("UPDATE billing.usage_ledger l SET invoice_line_id = u.line"
                            + " FROM unnest(CAST(:ids AS bigint[]), CAST(:lines AS text[])) AS u(id, line)"
                            + " WHERE l.id = u.id")
                    .bindArray("ids", Long.class, ids)
                    .bindArray("lines", String.class, lines)
                    .execute();
        }
    }

    /** Reads a row selected with {@link #columns}. */
    public static LedgerEntry entry(ResultSet rs) throws SQLException {
        return new LedgerEntry(
                rs.getLong("id"),
                rs.getString("aggregate_id"),
                rs.getString("window_key"),
                rs.getString("organization_id"),
                rs.getBoolean("livemode"),
                rs.getString("customer"),
                rs.getString("feature"),
                instant(rs, "window_start"),
                instant(rs, "window_end"),
                rs.getBigDecimal("quantity"),
                rs.getLong("event_count"),
                rs.getString("kind"),
                Aggregation.valueOf(rs.getString("aggregation").toUpperCase(Locale.ROOT)),
                rs.getLong("revision"),
                instant(rs, "latest_at"),
                instant(rs, "recorded_at"),
                rs.getString("invoice_line_id"));
    }
}
