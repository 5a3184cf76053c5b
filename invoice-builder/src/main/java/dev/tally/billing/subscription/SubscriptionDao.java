package dev.tally.billing.subscription;

import dev.tally.billing.cycle.SubscriptionFacts;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Subscriptions and their items' histories in {@code billing}. Every read by id names the organization and
 * mode, so a key never reaches another tenant's subscription; writes go by id, to a subscription read (and
 * locked) that way first.
 */
@RegisterConstructorMapper(Subscription.class)
@RegisterConstructorMapper(ItemRecord.class)
@RegisterConstructorMapper(SubscribablePrice.class)
public interface SubscriptionDao {

    String SELECT = "SELECT s.id, s.organization_id, s.livemode, s.customer_id, c.external_id AS customer_external_id,"
            + " s.currency, s.interval, s.interval_count, s.start_at, s.billing_anchor, s.trial_end, s.cancel_at,"
            + " s.cancel_at_period_end, s.canceled_at, s.time_zone, s.version, s.created_at"
            + " FROM billing.subscriptions s JOIN billing.customers c ON c.id = s.customer_id";

    String ITEM_SELECT = "SELECT i.subscription_id, i.item_id, i.at, i.price_id, i.quantity, i.sequence,"
            + " p.product_id, d.feature_key, p.model, p.definition ->> 'billingTiming' AS billing_timing"
            + " FROM billing.subscription_item_changes i"
            + " LEFT JOIN billing.prices p ON p.id = i.price_id"
            + " LEFT JOIN billing.products d ON d.id = p.product_id";

    /** Inserts {@code s} (its version and creation time are the database's: 1 and now). */
    @SqlUpdate("INSERT INTO billing.subscriptions (id, organization_id, livemode, customer_id, currency, interval,"
            + " interval_count, start_at, billing_anchor, trial_end, cancel_at, cancel_at_period_end, canceled_at,"
            + " time_zone) VALUES (:s.id, :s.organizationId, :s.livemode, :s.customerId, :s.currency, :s.interval,"
            + " :s.intervalCount, :s.startAt, :s.billingAnchor, :s.trialEnd, :s.cancelAt, :s.cancelAtPeriodEnd,"
            + " :s.canceledAt, :s.timeZone)")
    void insert(@BindMethods("s") Subscription s);

    /** Records that item {@code itemId} stands at {@code priceId} × {@code quantity} (null price: removed) from {@code at}. */
    @SqlUpdate("INSERT INTO billing.subscription_item_changes (subscription_id, item_id, at, price_id, quantity)"
            + " VALUES (:subscription, :item, :at, :price, :quantity)")
    void insertChange(
            @Bind("subscription") String subscriptionId,
            @Bind("item") String itemId,
            @Bind("at") Instant at,
            @Bind("price") String priceId,
            @Bind("quantity") long quantity);

    /**
     * Deletes the changes of {@code itemIds} at exactly {@code at}: a second change of an item in the same
     * second replaces the first (which lasted no time and bills nothing).
     */
    @SqlUpdate("DELETE FROM billing.subscription_item_changes WHERE subscription_id = :subscription AND at = :at"
            + " AND item_id = ANY(CAST(:items AS text[]))")
    void deleteChangesAt(
            @Bind("subscription") String subscriptionId, @Bind("at") Instant at, @Bind("items") List<String> itemIds);

    /** Records a cancellation (see {@link Subscription} for the columns) and counts one more version. */
    @SqlUpdate("UPDATE billing.subscriptions SET cancel_at = :cancelAt, cancel_at_period_end = :atPeriodEnd,"
            + " canceled_at = :canceledAt, version = version + 1 WHERE id = :id")
    void cancel(
            @Bind("id") String id,
            @Bind("cancelAt") Instant cancelAt,
            @Bind("atPeriodEnd") boolean atPeriodEnd,
            @Bind("canceledAt") Instant canceledAt);

    /**
     * Makes subscription {@code id} due for planning by {@code due} at the latest (a subscription already due
     * sooner stays so): the billing cycle plans it once {@code next_plan_at} has come.
     */
    @SqlUpdate("UPDATE billing.subscriptions SET next_plan_at = least(next_plan_at, :due) WHERE id = :id")
    void planBy(@Bind("id") String id, @Bind("due") Instant due);

    /**
     * Makes every subscription of the customer (by its external id, as usage names it) that was running
     * during {@code [windowStart, windowEnd)} due by {@code windowEnd}: a restated window may change what
     * one of them billed, and the cycle would otherwise look again only at the next period's end (never,
     * after the last one). A subscription without that feature plans nothing new; checking the feature
     * here would repeat the planner's rule.
     */
    @SqlUpdate("UPDATE billing.subscriptions s SET next_plan_at = least(s.next_plan_at, :windowEnd)"
            + " FROM billing.customers c WHERE c.id = s.customer_id AND c.organization_id = :org"
            + " AND c.livemode = :livemode AND c.external_id = :customer AND s.start_at < :windowEnd"
            + " AND (s.cancel_at IS NULL OR s.cancel_at > :windowStart)")
    int planRestatedWindow(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("customer") String customerExternalId,
            @Bind("windowStart") Instant windowStart,
            @Bind("windowEnd") Instant windowEnd);

    /** Counts one more version of subscription {@code id} (its items changed). */
    @SqlUpdate("UPDATE billing.subscriptions SET version = version + 1 WHERE id = :id")
    void countVersion(@Bind("id") String id);

    @SqlQuery(SELECT + " WHERE s.organization_id = :org AND s.livemode = :livemode AND s.id = :id")
    Optional<Subscription> find(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /** Subscription {@code id} of the organization and mode, locked until the transaction ends. */
    @SqlQuery(SELECT + " WHERE s.organization_id = :org AND s.livemode = :livemode AND s.id = :id FOR UPDATE OF s")
    Optional<Subscription> findForUpdate(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /**
     * Subscription {@code id} of whichever organization, locked until the transaction ends: for the billing
     * cycle, which finds it by {@code next_plan_at} and bills it on its own organization's behalf.
     */
    @SqlQuery(SELECT + " WHERE s.id = :id FOR UPDATE OF s")
    Optional<Subscription> lockForBilling(@Bind("id") String id);

    /**
     * Subscriptions {@code ids} of whichever organizations, by id: for the billing cycle, which has locked them
     * already (it claimed them).
     */
    @SqlQuery(SELECT + " WHERE s.id = ANY(CAST(:ids AS text[])) ORDER BY s.id")
    List<Subscription> claimed(@Bind("ids") List<String> ids);

    /** Every subscription of customer {@code customerId}, oldest first. */
    @SqlQuery(SELECT + " WHERE s.customer_id = :customer ORDER BY s.created_at, s.id")
    List<Subscription> ofCustomer(@Bind("customer") String customerId);

    /** The item changes of {@code subscriptionIds}, in the order they were recorded. */
    @SqlQuery(ITEM_SELECT + " WHERE i.subscription_id = ANY(CAST(:ids AS text[])) ORDER BY i.sequence")
    List<ItemRecord> items(@Bind("ids") List<String> subscriptionIds);

    /**
     * Up to {@code limit} subscriptions after subscription {@code after} (null: from the oldest), of customer
     * {@code customerId} when not null, with status {@code status} at {@code now} when not null: the SQL
     * reading of {@code SubscriptionTimeline.statusAt} ({@code cancel_at} is the effective end). No
     * subscription is {@code past_due}: no invoice has a due date yet.
     */
    @SqlQuery(SELECT + " WHERE s.organization_id = :org AND s.livemode = :livemode"
            + " AND (CAST(:customer AS text) IS NULL OR s.customer_id = :customer)"
            + " AND (CAST(:status AS text) IS NULL"
            + " OR (:status = 'canceled' AND s.cancel_at <= :now)"
            + " OR (:status = 'trialing' AND (s.cancel_at IS NULL OR s.cancel_at > :now) AND s.trial_end > :now)"
            + " OR (:status = 'active' AND (s.cancel_at IS NULL OR s.cancel_at > :now)"
            + " AND (s.trial_end IS NULL OR s.trial_end <= :now)))"
            + " AND (CAST(:after AS text) IS NULL OR (s.created_at, s.id) >"
            + " (SELECT a.created_at, a.id FROM billing.subscriptions a WHERE a.id = :after))"
            + " ORDER BY s.created_at, s.id LIMIT :limit")
    List<Subscription> page(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("customer") String customerId,
            @Bind("status") String status,
            @Bind("now") Instant now,
            @Bind("after") String after,
            @Bind("limit") int limit);

    /** Whether subscription {@code id} is one of the organization's, in this mode. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.subscriptions"
            + " WHERE id = :id AND organization_id = :org AND livemode = :livemode)")
    boolean exists(@Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /** The prices among {@code ids} of the organization and mode, with what a subscription needs of them. */
    @SqlQuery("SELECT p.id, p.product_id, d.type AS product_type, d.active AS product_active, d.feature_key,"
            + " rtrim(p.currency) AS currency, p.model, p.definition ->> 'interval' AS interval,"
            + " CAST(p.definition ->> 'intervalCount' AS integer) AS interval_count,"
            + " p.definition ->> 'billingTiming' AS billing_timing"
            + " FROM billing.prices p JOIN billing.products d ON d.id = p.product_id"
            + " WHERE p.organization_id = :org AND p.livemode = :livemode AND p.id = ANY(CAST(:ids AS text[]))")
    List<SubscribablePrice> prices(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("ids") List<String> ids);

    /** {@code subscriptions} with their items' histories, in the order given. */
    default List<StoredSubscription> withItems(List<Subscription> subscriptions) {
        Map<String, List<ItemRecord>> items = items(
                        subscriptions.stream().map(Subscription::id).toList())
                .stream()
                .collect(Collectors.groupingBy(ItemRecord::subscriptionId));
        return subscriptions.stream()
                .map(s -> new StoredSubscription(s, items.getOrDefault(s.id(), List.of())))
                .toList();
    }

    /** Subscription {@code id} of the organization and mode with its items' history. */
    default Optional<StoredSubscription> load(String organizationId, boolean livemode, String id) {
        return find(organizationId, livemode, id).map(s -> withItems(List.of(s)).getFirst());
    }

    /**
     * Subscription {@code id} as the pure model reads it: its facts, each item change with its price's
     * {@link dev.tally.billing.cycle.ItemBilling} (flat in advance or in arrears by the price's billing
     * timing, usage for every usage model).
     */
    default Optional<SubscriptionFacts> facts(String organizationId, boolean livemode, String id) {
        return load(organizationId, livemode, id).map(StoredSubscription::facts);
    }

    /** The prices among {@code ids}, by id. */
    default Map<String, SubscribablePrice> pricesById(String organizationId, boolean livemode, Collection<String> ids) {
        return prices(organizationId, livemode, List.copyOf(ids)).stream()
                .collect(Collectors.toMap(SubscribablePrice::id, price -> price));
    }
}
