package dev.tally.billing.invoice;

import static dev.tally.billing.Rows.instant;

import dev.tally.billing.ledger.LedgerDao;
import dev.tally.billing.ledger.LedgerEntry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * What earlier closes billed: which period each billed window belongs to, the statements, price,
 * quantity and amount billed for one feature's period (its lines less the late-usage credit notes correcting
 * them, V32), and a customer's credit carried forward. A line's
 * period is its {@code usage_start}/{@code usage_end}, or its invoice's period for lines written
 * before lines named one.
 */
public final class BilledUsageDao {

    private static final String LINE_PERIOD_START = "coalesce(il.usage_start, i.period_start)";
    private static final String LINE_PERIOD_END = "coalesce(il.usage_end, i.period_end)";

    private final Handle handle;

    public BilledUsageDao(Handle handle) {
        this.handle = handle;
    }

    /**
     * The period whose line billed an earlier statement of each of {@code windowKeys} (absent: the
     * window was never billed). A window stays in the period that first billed it: its restatements
     * adjust that period.
     */
    public Map<String, UsagePeriod> billedPeriods(
            String organizationId, boolean livemode, Collection<String> windowKeys) {
        Map<String, UsagePeriod> periods = new HashMap<>();
        if (windowKeys.isEmpty()) {
            return periods;
        }
        handle.createQuery("SELECT DISTINCT l.window_key, " + LINE_PERIOD_START + " AS period_start, "
                        + LINE_PERIOD_END + " AS period_end FROM billing.usage_ledger l"
                        + " JOIN billing.invoice_lines il ON il.id = l.invoice_line_id"
                        + " JOIN billing.invoices i ON i.id = il.invoice_id"
                        + " WHERE l.organization_id = :org AND l.livemode = :livemode AND l.window_key = ANY(:keys)")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bindArray("keys", String.class, windowKeys)
                .map((rs, ctx) -> Map.entry(
                        rs.getString("window_key"),
                        new UsagePeriod(instant(rs, "period_start"), instant(rs, "period_end"))))
                .forEach(e -> periods.put(e.getKey(), e.getValue()));
        return periods;
    }

    /**
     * The statements the close billed of one customer's feature in {@code period} (every revision billed so
     * far; the billing cycle's windows are its own to adjust).
     */
    public List<LedgerEntry> billedStatements(
            String organizationId, boolean livemode, String customer, String feature, UsagePeriod period) {
        return handle.createQuery("SELECT " + LedgerDao.columns("l") + " FROM billing.usage_ledger l"
                        + " JOIN billing.invoice_lines il ON il.id = l.invoice_line_id"
                        + " JOIN billing.invoices i ON i.id = il.invoice_id"
                        + " WHERE l.organization_id = :org AND l.livemode = :livemode AND l.customer = :customer"
                        + " AND l.feature = :feature AND i.billing_period_id IS NOT NULL AND " + LINE_PERIOD_START
                        + " = :start AND "
                        + LINE_PERIOD_END + " = :end")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("customer", customer)
                .bind("feature", feature)
                .bind("start", period.start())
                .bind("end", period.end())
                .map((rs, ctx) -> LedgerDao.entry(rs))
                .list();
    }

    /**
     * What the close billed so far for customer {@code customerId}'s feature in {@code period} (its usage
     * line and adjustments; empty when none did): the price of its usage line (else of its first
     * adjustment), and the quantity and amount of all its lines added up.
     */
    public Optional<CloseRating.Billed> billed(String customerId, String feature, UsagePeriod period) {
        return handle.createQuery("SELECT (array_agg(il.price_id ORDER BY il.kind <> 'usage', i.created_at, il.id))[1]"
                        + " AS price_id, sum(il.quantity) AS quantity, sum(il.amount_minor) AS amount_minor"
                        + " FROM billing.invoice_lines il JOIN billing.invoices i ON i.id = il.invoice_id"
                        + " WHERE i.customer_id = :customer AND i.billing_period_id IS NOT NULL"
                        + " AND il.feature_key = :feature AND il.kind IN ('usage', 'adjustment')"
                        + " AND " + LINE_PERIOD_START + " = :start AND " + LINE_PERIOD_END + " = :end"
                        + " HAVING count(*) > 0")
                .bind("customer", customerId)
                .bind("feature", feature)
                .bind("start", period.start())
                .bind("end", period.end())
                .map((rs, ctx) -> new CloseRating.Billed(
                        rs.getString("price_id"), rs.getBigDecimal("quantity"), rs.getLong("amount_minor")))
                .findOne()
                .map(lines -> lines.less(corrected(customerId, feature, period)));
    }

    /**
     * What the credit notes issued for late usage (V32) took off customer {@code customerId}'s feature in {@code
     * period}: the quantity and amount of the notes correcting a line of the close that billed it.
     */
    private CloseRating.Billed corrected(String customerId, String feature, UsagePeriod period) {
        return handle.createQuery("SELECT coalesce(sum(cn.corrected_quantity), 0) AS quantity,"
                        + " coalesce(sum(cn.amount_minor), 0) AS amount_minor FROM billing.credit_notes cn"
                        + " JOIN billing.invoice_lines il ON il.id = cn.corrects_line_id"
                        + " JOIN billing.invoices i ON i.id = il.invoice_id"
                        + " WHERE i.customer_id = :customer AND i.billing_period_id IS NOT NULL"
                        + " AND il.feature_key = :feature AND " + LINE_PERIOD_START + " = :start AND "
                        + LINE_PERIOD_END + " = :end")
                .bind("customer", customerId)
                .bind("feature", feature)
                .bind("start", period.start())
                .bind("end", period.end())
                .map((rs, ctx) ->
                        new CloseRating.Billed(null, rs.getBigDecimal("quantity"), rs.getLong("amount_minor")))
                .one();
    }

    /**
     * The line of subscription {@code subscriptionId} keyed {@code lineKey} (its usage line of a span) and its
     * invoice; empty when none holds that key.
     */
    public Optional<BilledLine> subscriptionLine(String subscriptionId, String lineKey) {
        return handle.createQuery("SELECT id AS line_id, invoice_id FROM billing.invoice_lines"
                        + " WHERE subscription_id = :subscription AND line_key = :key")
                .bind("subscription", subscriptionId)
                .bind("key", lineKey)
                .map((rs, ctx) -> new BilledLine(rs.getString("line_id"), rs.getString("invoice_id")))
                .findOne();
    }

    /** The usage line of the close that billed customer {@code customerId}'s feature in a period, and its invoice. */
    public record BilledLine(String lineId, String invoiceId) {}

    /**
     * The usage line a period close wrote for customer {@code customerId}'s {@code feature} in {@code period} (the
     * first, should there be more), which a late-usage credit note of that period corrects; empty when the period
     * was billed by adjustments only.
     */
    public Optional<BilledLine> usageLine(String customerId, String feature, UsagePeriod period) {
        return handle.createQuery("SELECT il.id AS line_id, il.invoice_id FROM billing.invoice_lines il"
                        + " JOIN billing.invoices i ON i.id = il.invoice_id"
                        + " WHERE i.customer_id = :customer AND i.billing_period_id IS NOT NULL AND il.kind = 'usage'"
                        + " AND il.feature_key = :feature AND " + LINE_PERIOD_START + " = :start AND "
                        + LINE_PERIOD_END + " = :end ORDER BY i.created_at, i.number, il.id LIMIT 1")
                .bind("customer", customerId)
                .bind("feature", feature)
                .bind("start", period.start())
                .bind("end", period.end())
                .map((rs, ctx) -> new BilledLine(rs.getString("line_id"), rs.getString("invoice_id")))
                .findOne();
    }

    /** What credit notes credited to customers' balances (V29), to be narrowed by customer and currency. */
    private static final String CREDIT_NOTES_TO_BALANCE = "SELECT coalesce(sum(cn.post_payment_minor), 0)"
            + " FROM billing.credit_notes cn WHERE cn.outcome = 'credit'";

    /**
     * Credit carried forward to customer {@code customerId} in {@code currency} and not yet applied, in minor units:
     * its credit lines, and what credit notes credited to its balance (their part of what was already paid, V29).
     */
    public long creditBalance(String customerId, String currency) {
        return handle.createQuery(
                                "SELECT coalesce(sum(il.amount_minor), 0) FROM billing.invoice_lines il"
                                        + " JOIN billing.invoices i ON i.id = il.invoice_id WHERE i.customer_id = :customer"
                                        + " AND i.currency = :currency AND il.kind IN ('credit_carried_forward', 'credit_applied')")
                        .bind("customer", customerId)
                        .bind("currency", currency)
                        .mapTo(Long.class)
                        .one()
                + handle.createQuery(CREDIT_NOTES_TO_BALANCE + " AND cn.customer_id = :customer"
                                + " AND cn.currency = :currency")
                        .bind("customer", customerId)
                        .bind("currency", currency)
                        .mapTo(Long.class)
                        .one();
    }

    /**
     * {@link #creditBalance} of each of {@code customerIds} in each currency they were invoiced in, in one read:
     * by customer id, then currency (absent: zero).
     */
    public Map<String, Map<String, Long>> creditBalances(List<String> customerIds) {
        record Balance(String customerId, String currency, long minor) {}
        Map<String, Map<String, Long>> balances = new HashMap<>();
        List<Balance> rows = handle.createQuery(
                        "SELECT i.customer_id, rtrim(i.currency) AS currency, sum(il.amount_minor) AS balance"
                                + " FROM billing.invoice_lines il JOIN billing.invoices i ON i.id = il.invoice_id"
                                + " WHERE i.customer_id = ANY(CAST(:customers AS text[]))"
                                + " AND il.kind IN ('credit_carried_forward', 'credit_applied') GROUP BY 1, 2"
                                + " UNION ALL SELECT cn.customer_id, rtrim(cn.currency), sum(cn.post_payment_minor)"
                                + " FROM billing.credit_notes cn WHERE cn.outcome = 'credit'"
                                + " AND cn.customer_id = ANY(CAST(:customers AS text[])) GROUP BY 1, 2")
                .bindArray("customers", String.class, customerIds)
                .map((rs, ctx) ->
                        new Balance(rs.getString("customer_id"), rs.getString("currency"), rs.getLong("balance")))
                .list();
        for (Balance row : rows) {
            balances.computeIfAbsent(row.customerId(), c -> new HashMap<>())
                    .merge(row.currency(), row.minor(), Long::sum);
        }
        return balances;
    }
}
