package dev.tally.billing.invoice;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Billing periods and what closing one reads: the invoice counter of its organization and mode, and its subscriptions. */
public final class BillingPeriodDao {

    /** A usage price as stored: its id, its product's feature and its definition (JSON, see {@code StoredPriceDefinitions}). */
    public record StoredPrice(String id, String featureKey, String definition) {}

    /** A subscribed price of a customer. */
    public record CustomerPrice(String customerId, String customerExternalId, StoredPrice price) {}

    private final Handle handle;

    public BillingPeriodDao(Handle handle) {
        this.handle = handle;
    }

    /**
     * Locks the organization's row, which serializes closes per organization and keeps the billing cycle's
     * batches of it out until this transaction ends (they hold it {@code FOR SHARE}), and its invoice counter of
     * mode {@code livemode} ({@link InvoiceCounterDao}); returns the counter, empty if there is no such
     * organization.
     */
    public Optional<InvoiceCounterDao.Counter> lockOrganization(String organizationId, boolean livemode) {
        return handle.createQuery("SELECT c.organization_id, c.livemode, c.next_number, o.invoice_prefix"
                        + " FROM billing.organizations o JOIN billing.invoice_counters c ON c.organization_id = o.id"
                        + " WHERE o.id = :org AND c.livemode = :livemode FOR UPDATE")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .map(ConstructorMapper.of(InvoiceCounterDao.Counter.class))
                .findOne();
    }

    /** Moves the organization's counter of mode {@code livemode} (locked by {@link #lockOrganization}) to {@code next}. */
    public void setNextInvoiceNumber(String organizationId, boolean livemode, long next) {
        handle.attach(InvoiceCounterDao.class).advance(List.of(organizationId), List.of(livemode), List.of(next));
    }

    /** The id of the period with exactly these bounds, if it was closed. */
    public Optional<Long> period(String organizationId, boolean livemode, Instant start, Instant end) {
        return handle.createQuery("SELECT id FROM billing.billing_periods WHERE organization_id = :org"
                        + " AND livemode = :livemode AND period_start = :start AND period_end = :end")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("start", start)
                .bind("end", end)
                .mapTo(Long.class)
                .findOne();
    }

    /** Whether a closed period of the organization and mode overlaps {@code [start, end)}. */
    public boolean overlaps(String organizationId, boolean livemode, Instant start, Instant end) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM billing.billing_periods WHERE organization_id = :org"
                        + " AND livemode = :livemode AND period_start < :end AND period_end > :start)")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("start", start)
                .bind("end", end)
                .mapTo(Boolean.class)
                .one();
    }

    /** Every closed period of the organization and mode, oldest first. */
    public List<UsagePeriod> closedPeriods(String organizationId, boolean livemode) {
        return handle.createQuery("SELECT period_start, period_end FROM billing.billing_periods"
                        + " WHERE organization_id = :org AND livemode = :livemode ORDER BY period_start")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .map((rs, ctx) -> new UsagePeriod(
                        rs.getTimestamp("period_start").toInstant(),
                        rs.getTimestamp("period_end").toInstant()))
                .list();
    }

    public long insertPeriod(String organizationId, boolean livemode, Instant start, Instant end) {
        return handle.createUpdate("INSERT INTO billing.billing_periods (organization_id, livemode, period_start,"
                        + " period_end) VALUES (:org, :livemode, :start, :end)")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("start", start)
                .bind("end", end)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
    }

    /**
     * The price each customer's usage of each feature is rated at by this (organization-wide) close: per
     * customer and feature, the price of the latest subscription item change that set a price of that
     * feature, on any item of any of the customer's subscriptions (whether the item or its subscription has
     * ended since: usage is never silently dropped), when that price rates usage (a flat fee is the billing
     * cycle's to bill). The feature rule (one price per feature and customer at any instant) makes the
     * latest one unique. By customer external id, then feature.
     */
    public List<CustomerPrice> subscribedPrices(String organizationId, boolean livemode) {
        return handle.createQuery("SELECT customer_id, external_id, price_id, feature_key, definition"
                        + " FROM (SELECT DISTINCT ON (s.customer_id, d.feature_key) c.id AS customer_id,"
                        + " c.external_id, p.id AS price_id, d.feature_key, p.model, p.definition::text AS definition"
                        + " FROM billing.subscription_item_changes i"
                        + " JOIN billing.subscriptions s ON s.id = i.subscription_id"
                        + " JOIN billing.customers c ON c.id = s.customer_id"
                        + " JOIN billing.prices p ON p.id = i.price_id"
                        + " JOIN billing.products d ON d.id = p.product_id"
                        + " WHERE s.organization_id = :org AND s.livemode = :livemode AND d.feature_key IS NOT NULL"
                        + " ORDER BY s.customer_id, d.feature_key, i.at DESC, i.sequence DESC) latest"
                        + " WHERE model <> 'flat'"
                        + " ORDER BY external_id, feature_key, price_id")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .map((rs, ctx) -> new CustomerPrice(
                        rs.getString("customer_id"),
                        rs.getString("external_id"),
                        new StoredPrice(
                                rs.getString("price_id"), rs.getString("feature_key"), rs.getString("definition"))))
                .list();
    }

    /**
     * The usage prices among {@code ids} of the organization and mode (those that billed restated periods
     * earlier), with their products' features.
     */
    public List<StoredPrice> usagePrices(String organizationId, boolean livemode, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("SELECT p.id, d.feature_key, p.definition::text AS definition FROM billing.prices p"
                        + " JOIN billing.products d ON d.id = p.product_id WHERE p.organization_id = :org"
                        + " AND p.livemode = :livemode AND p.id = ANY(:ids) AND d.feature_key IS NOT NULL"
                        + " AND p.model <> 'flat'")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bindArray("ids", String.class, ids)
                .map((rs, ctx) ->
                        new StoredPrice(rs.getString("id"), rs.getString("feature_key"), rs.getString("definition")))
                .list();
    }
}
