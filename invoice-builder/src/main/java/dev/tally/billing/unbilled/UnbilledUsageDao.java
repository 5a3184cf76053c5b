package dev.tally.billing.unbilled;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Usage in the ledger that no invoice will bill: each window at its latest revision (the rule of
 * {@code UsageMerge.latestRevisions}: the highest revision, of two of the same revision the first
 * recorded), not billed, whose customer is unknown or had, at the window's start, no subscription
 * item rating its feature. Nothing here changes a row: such usage stays in the ledger, and a
 * subscription created later with a start before the window makes it billable again.
 */
@RegisterConstructorMapper(UnbilledWindow.class)
@RegisterConstructorMapper(UnbilledSummary.class)
@RegisterConstructorMapper(UnbilledTotals.class)
public interface UnbilledUsageDao {

    /**
     * Whether customer {@code c} had, at the instant {@code l.window_start}, a subscription in force
     * ({@code [start_at, cancel_at)}) with an item whose change in force then (its latest change at or
     * before the instant; a removal has no price) is at a price of a product of feature {@code
     * l.feature}. Trials count: usage during a trial is rated (at nothing), not forgotten.
     */
    String COVERED = "SELECT 1 FROM billing.subscriptions s"
            + " CROSS JOIN LATERAL (SELECT DISTINCT ON (i.item_id) i.price_id"
            + " FROM billing.subscription_item_changes i WHERE i.subscription_id = s.id AND i.at <= l.window_start"
            + " ORDER BY i.item_id, i.at DESC) item"
            + " JOIN billing.prices p ON p.id = item.price_id"
            + " JOIN billing.products d ON d.id = p.product_id"
            + " WHERE s.customer_id = c.id AND s.start_at <= l.window_start"
            + " AND (s.cancel_at IS NULL OR s.cancel_at > l.window_start) AND d.feature_key = l.feature";

    /** The unbilled windows' statements {@code l}, each with its customer {@code c} (null when unknown). */
    String UNBILLED = " FROM billing.usage_ledger l"
            + " LEFT JOIN billing.customers c ON c.organization_id = l.organization_id AND c.livemode = l.livemode"
            + " AND c.external_id = l.customer"
            + " WHERE l.invoice_line_id IS NULL"
            + " AND NOT EXISTS (SELECT 1 FROM billing.usage_ledger h WHERE h.organization_id = l.organization_id"
            + " AND h.livemode = l.livemode AND h.window_key = l.window_key"
            + " AND (h.revision > l.revision OR (h.revision = l.revision AND h.id < l.id)))"
            + " AND (c.id IS NULL OR NOT EXISTS (" + COVERED + "))";

    String FILTERS = " AND l.organization_id = :org AND l.livemode = :livemode"
            + " AND (CAST(:q.customer AS text) IS NULL OR l.customer = :q.customer)"
            + " AND (CAST(:q.feature AS text) IS NULL OR l.feature = :q.feature)"
            + " AND (CAST(:q.from AS timestamptz) IS NULL OR l.window_start >= :q.from)"
            + " AND (CAST(:q.to AS timestamptz) IS NULL OR l.window_start < :q.to)";

    /**
     * Up to {@code limit} unbilled windows matching {@code q}, by window start, customer and feature,
     * after the one whose statement is {@code after} (null: from the first).
     */
    @SqlQuery("SELECT l.aggregate_id, l.customer, l.feature, l.window_start, l.window_end, l.quantity,"
            + " l.event_count, CASE WHEN c.id IS NULL THEN 'UNKNOWN_CUSTOMER' ELSE 'NO_SUBSCRIPTION' END AS reason"
            + UNBILLED + FILTERS
            + " AND (CAST(:after AS text) IS NULL OR (l.window_start, l.customer, l.feature, l.id) >"
            + " (SELECT a.window_start, a.customer, a.feature, a.id FROM billing.usage_ledger a"
            + " WHERE a.aggregate_id = :after AND a.organization_id = :org AND a.livemode = :livemode))"
            + " ORDER BY l.window_start, l.customer, l.feature, l.id LIMIT :limit")
    List<UnbilledWindow> page(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @BindMethods("q") UnbilledQuery query,
            @Bind("after") String afterAggregateId,
            @Bind("limit") int limit);

    /** How many unbilled windows match {@code q}, and of how many customers and features. */
    @SqlQuery("SELECT count(*) AS windows, count(DISTINCT l.customer) AS customers,"
            + " count(DISTINCT l.feature) AS features" + UNBILLED + FILTERS)
    UnbilledSummary summary(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @BindMethods("q") UnbilledQuery query);

    /** The unbilled windows of every organization and mode. */
    @SqlQuery("SELECT count(*) AS windows, count(DISTINCT l.organization_id) AS organizations" + UNBILLED)
    UnbilledTotals totals();

    /** Whether statement {@code aggregateId} is one of the organization's, in this mode (a cursor). */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.usage_ledger WHERE aggregate_id = :id"
            + " AND organization_id = :org AND livemode = :livemode)")
    boolean exists(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String aggregateId);
}
