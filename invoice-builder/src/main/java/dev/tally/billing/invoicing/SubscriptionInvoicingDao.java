package dev.tally.billing.invoicing;

import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.LedgerEntryMapper;
import dev.tally.billing.planning.InvoicedLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * What the billing cycle reads and writes of a subscription beyond its facts: which one is due, its prices'
 * stored definitions, the ledger's usage it bills, the lines it already invoiced and when to plan it next.
 */
@RegisterConstructorMapper(InvoicedLine.class)
@RegisterConstructorMapper(SubscriptionInvoicingDao.StoredPrice.class)
@RegisterRowMapper(LedgerEntryMapper.class)
public interface SubscriptionInvoicingDao {

    /**
     * The late-usage credit notes of the billing cycle (V32) as invoiced lines: each in the place of the adjustment
     * it replaced, under that key, standing at the span's usage then, for minus its amount (to be narrowed by
     * subscription).
     */
    String LATE_USAGE_NOTES = "SELECT cn.planned_key AS key, cn.planned_quantity AS quantity,"
            + " cn.planned_event_count AS event_count, -cn.amount_minor AS amount_minor FROM billing.credit_notes cn"
            + " JOIN billing.invoice_lines il ON il.id = cn.corrects_line_id WHERE cn.planned_key IS NOT NULL";

    /** A price as the planner needs it: a name for descriptions, its product's feature, its stored definition. */
    record StoredPrice(String id, String name, String featureKey, String definition) {}

    /**
     * Claims up to {@code limit} due subscriptions ({@code next_plan_at} at or before {@code asOf}), soonest
     * first, that no other transaction holds: locked until this one ends, skipped by every other claim meanwhile.
     */
    @SqlQuery("SELECT id FROM billing.subscriptions WHERE next_plan_at <= :asOf ORDER BY next_plan_at, id"
            + " LIMIT :limit FOR UPDATE SKIP LOCKED")
    List<String> claimDue(@Bind("asOf") Instant asOf, @Bind("limit") int limit);

    /**
     * Holds the rows of organizations {@code ids} {@code FOR SHARE} until this transaction ends: bills of the cycle
     * share them, a period close ({@code FOR UPDATE}) waits for them and they for it.
     */
    @SqlQuery("SELECT id FROM billing.organizations WHERE id = ANY(CAST(:ids AS text[])) ORDER BY id FOR SHARE")
    List<String> shareOrganizations(@Bind("ids") List<String> organizationIds);

    /**
     * Locks the rows of customers {@code ids} in id order until this transaction ends, so that two bills of one
     * customer run one after the other (its credit balance and ledger rows are read by both).
     */
    @SqlQuery("SELECT id FROM billing.customers WHERE id = ANY(CAST(:ids AS text[])) ORDER BY id FOR NO KEY UPDATE")
    List<String> lockCustomers(@Bind("ids") List<String> customerIds);

    /** Sets each of {@code ids}' next {@code next_plan_at} to its element of {@code at} (ISO instants; null: never). */
    @SqlUpdate("UPDATE billing.subscriptions s SET next_plan_at = CAST(u.at AS timestamptz)"
            + " FROM unnest(CAST(:ids AS text[]), CAST(:at AS text[])) AS u(id, at) WHERE s.id = u.id")
    void setNextPlanAts(@Bind("ids") List<String> ids, @Bind("at") List<String> at);

    /** When to plan subscription {@code id} next; null: not unless it changes. */
    @SqlUpdate("UPDATE billing.subscriptions SET next_plan_at = :at WHERE id = :id")
    void setNextPlanAt(@Bind("id") String id, @Bind("at") Instant at);

    /** The prices among {@code ids} of the organization and mode, with their products' names and features. */
    @SqlQuery("SELECT p.id, coalesce(d.name, d.feature_key, p.id) AS name, d.feature_key,"
            + " p.definition::text AS definition FROM billing.prices p JOIN billing.products d ON d.id = p.product_id"
            + " WHERE p.organization_id = :org AND p.livemode = :livemode AND p.id = ANY(CAST(:ids AS text[]))")
    List<StoredPrice> prices(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("ids") List<String> ids);

    /**
     * Every line subscription {@code subscriptionId} was invoiced, as the planner compares them: an
     * adjustment's quantity is what its key stood at after it (the stored difference plus what it stood at
     * before).
     */
    @SqlQuery("SELECT key, quantity, event_count, amount_minor FROM (SELECT line_key AS key,"
            + " CASE WHEN kind = 'adjustment' THEN previous_quantity + quantity ELSE quantity END AS quantity,"
            + " event_count, amount_minor FROM billing.invoice_lines WHERE subscription_id = :subscription"
            + " UNION ALL " + LATE_USAGE_NOTES + " AND il.subscription_id = :subscription) k ORDER BY key")
    List<InvoicedLine> invoicedLines(@Bind("subscription") String subscriptionId);

    /** A line of {@link #invoicedLinesOf}: an invoiced line and its subscription. */
    record SubscriptionLine(String subscriptionId, String key, BigDecimal quantity, long eventCount, long amountMinor) {
        InvoicedLine invoiced() {
            return new InvoicedLine(key, quantity, eventCount, amountMinor);
        }
    }

    /** {@link #invoicedLines} of each of {@code subscriptionIds}, in one read. */
    @SqlQuery("SELECT subscription_id, key, quantity, event_count, amount_minor FROM (SELECT subscription_id,"
            + " line_key AS key, CASE WHEN kind = 'adjustment' THEN previous_quantity + quantity ELSE quantity END"
            + " AS quantity, event_count, amount_minor FROM billing.invoice_lines"
            + " WHERE subscription_id = ANY(CAST(:subscriptions AS text[])) UNION ALL SELECT il.subscription_id,"
            + " cn.planned_key, cn.planned_quantity, cn.planned_event_count, -cn.amount_minor"
            + " FROM billing.credit_notes cn JOIN billing.invoice_lines il ON il.id = cn.corrects_line_id"
            + " WHERE cn.planned_key IS NOT NULL AND il.subscription_id = ANY(CAST(:subscriptions AS text[]))) k"
            + " ORDER BY subscription_id, key")
    @RegisterConstructorMapper(SubscriptionLine.class)
    List<SubscriptionLine> invoicedLinesOf(@Bind("subscriptions") List<String> subscriptionIds);

    /**
     * The ledger rows subscription {@code subscriptionId} bills for customer {@code customer}'s {@code feature}
     * in {@code [from, to)}: every revision of the windows starting in it, but of windows another biller
     * (the period close, another subscription) billed: a window is billed by one biller only, which also
     * adjusts it. Rows are un-billed, or billed by this subscription's own lines.
     */
    @SqlQuery("SELECT l.* FROM billing.usage_ledger l WHERE l.organization_id = :org AND l.livemode = :livemode"
            + " AND l.customer = :customer AND l.feature = :feature AND l.window_start >= :from"
            + " AND l.window_start < :to AND NOT EXISTS (SELECT 1 FROM billing.usage_ledger b"
            + " JOIN billing.invoice_lines il ON il.id = b.invoice_line_id"
            + " WHERE b.organization_id = l.organization_id AND b.livemode = l.livemode"
            + " AND b.window_key = l.window_key AND il.subscription_id IS DISTINCT FROM :subscription)"
            + " ORDER BY l.id")
    List<LedgerEntry> usage(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("customer") String customer,
            @Bind("feature") String feature,
            @Bind("from") Instant from,
            @Bind("to") Instant to,
            @Bind("subscription") String subscriptionId);
}
