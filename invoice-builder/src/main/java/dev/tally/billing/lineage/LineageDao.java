package dev.tally.billing.lineage;

import dev.tally.billing.ledger.LedgerDao;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.LedgerEntryMapper;
import dev.tally.billing.planning.InvoicedLine;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * What an invoice was built from, read back: the ledger rows its lines billed and what the customer's and the
 * subscription's earlier invoices held. "Earlier" is one rule ({@link #EARLIER}): invoices are written under
 * their organization's lock, so of two invoices of a customer the one written first has the earlier
 * transaction start ({@code created_at}), and within one transaction the lower number (numbers are taken in
 * order under that lock). Every read names the invoice {@code :invoice} it is relative to, so a later
 * restatement, billed by a later invoice, never changes what an earlier one is compared with.
 */
@RegisterRowMapper(LedgerEntryMapper.class)
@RegisterConstructorMapper(InvoicedLine.class)
public interface LineageDao {

    /** Invoice {@code t} is the one read for; invoice {@code e} (of a line) was written before it. */
    String EARLIER = "(e.created_at, e.number) < (t.created_at, t.number)";

    /**
     * Credit note {@code cn} was issued before invoice {@code t} was written, or in its transaction: the period
     * close issues its notes of late usage at its transaction's start, the instant its invoices are created at, and
     * rates the invoice with them.
     */
    String CREDITED_BEFORE = "cn.issued_at <= t.created_at";

    /**
     * A ledger row billed by the line read for ({@code own}) or by a line of an earlier invoice; {@code creditNoteId}:
     * the credit note of late usage that billed it (V32), else null.
     */
    record BilledRow(LedgerEntry entry, boolean own, String creditNoteId) {}

    /** Maps {@link BilledRow}: the ledger's columns and {@code own}. */
    final class BilledRowMapper implements RowMapper<BilledRow> {
        @Override
        public BilledRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new BilledRow(LedgerDao.entry(rs), rs.getBoolean("own"), rs.getString("credit_note_id"));
        }
    }

    /**
     * Up to {@code limit} windows (their keys) of rows billed by line {@code line}, by window start then key,
     * after window {@code after} (null: from the first).
     */
    @SqlQuery("SELECT window_key FROM (SELECT DISTINCT window_start, window_key FROM billing.usage_ledger"
            + " WHERE invoice_line_id = :line AND (CAST(:after AS text) IS NULL OR (window_start, window_key) >"
            + " (SELECT a.window_start, a.window_key FROM billing.usage_ledger a"
            + " WHERE a.invoice_line_id = :line AND a.window_key = :after LIMIT 1))) w"
            + " ORDER BY window_start, window_key LIMIT :limit")
    List<String> windowsOf(@Bind("line") String lineId, @Bind("after") String after, @Bind("limit") int limit);

    /** Whether line {@code line} billed a row of window {@code windowKey}. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.usage_ledger WHERE invoice_line_id = :line"
            + " AND window_key = :window)")
    boolean billedWindow(@Bind("line") String lineId, @Bind("window") String windowKey);

    /**
     * The rows of windows {@code windowKeys} billed by line {@code line} of invoice {@code invoice} or by a
     * line of an invoice written before it (a row a credit note of late usage billed against an earlier line only
     * when that note came before the invoice, {@link #CREDITED_BEFORE}), in the order they were recorded.
     */
    @SqlQuery("SELECT l.*, l.invoice_line_id = :line AS own FROM billing.usage_ledger l"
            + " JOIN billing.invoice_lines il ON il.id = l.invoice_line_id"
            + " JOIN billing.invoices e ON e.id = il.invoice_id JOIN billing.invoices t ON t.id = :invoice"
            + " LEFT JOIN billing.credit_notes cn ON cn.id = l.credit_note_id"
            + " WHERE l.organization_id = t.organization_id AND l.livemode = t.livemode"
            + " AND l.window_key = ANY(CAST(:windows AS text[]))"
            + " AND (l.invoice_line_id = :line OR (" + EARLIER + " AND (l.credit_note_id IS NULL OR "
            + CREDITED_BEFORE + "))) ORDER BY l.id")
    @UseRowMapper(BilledRowMapper.class)
    List<BilledRow> statementsOf(
            @Bind("invoice") String invoiceId, @Bind("line") String lineId, @Bind("windows") List<String> windowKeys);

    /**
     * Every line of subscription {@code subscription} on invoices written before invoice {@code invoice}, as
     * the planner compares them (the reading of {@code SubscriptionInvoicingDao.invoicedLines}, limited to
     * those invoices): an adjustment's quantity is what its key stood at after it; with the late-usage credit
     * notes issued before the invoice or with it ({@link #CREDITED_BEFORE}) in the place of the adjustments they
     * replaced.
     */
    @SqlQuery("SELECT key, quantity, event_count, amount_minor FROM (SELECT il.line_key AS key,"
            + " CASE WHEN il.kind = 'adjustment' THEN il.previous_quantity + il.quantity ELSE il.quantity END"
            + " AS quantity, il.event_count, il.amount_minor FROM billing.invoice_lines il"
            + " JOIN billing.invoices e ON e.id = il.invoice_id JOIN billing.invoices t ON t.id = :invoice"
            + " WHERE il.subscription_id = :subscription AND " + EARLIER
            + " UNION ALL SELECT cn.planned_key, cn.planned_quantity, cn.planned_event_count, -cn.amount_minor"
            + " FROM billing.credit_notes cn JOIN billing.invoice_lines il ON il.id = cn.corrects_line_id"
            + " JOIN billing.invoices t ON t.id = :invoice WHERE cn.planned_key IS NOT NULL"
            + " AND il.subscription_id = :subscription AND " + CREDITED_BEFORE + ") k ORDER BY key")
    List<InvoicedLine> invoicedBefore(@Bind("invoice") String invoiceId, @Bind("subscription") String subscriptionId);

    /**
     * The rows billed for one usage span of subscription {@code subscription} (its item at its price in {@code
     * [from, to)}) by the lines of that span (the usage line and its adjustments) on invoice {@code invoice} or
     * an earlier one: what the planner read for the span when it wrote that invoice.
     */
    @SqlQuery("SELECT l.* FROM billing.usage_ledger l"
            + " JOIN billing.invoice_lines il ON il.id = l.invoice_line_id"
            + " JOIN billing.invoices e ON e.id = il.invoice_id JOIN billing.invoices t ON t.id = :invoice"
            + " LEFT JOIN billing.credit_notes cn ON cn.id = l.credit_note_id"
            + " WHERE il.subscription_id = :subscription AND il.item_id = :item AND il.price_id = :price"
            + " AND il.usage_start = :from AND il.usage_end = :to AND il.feature_key IS NOT NULL"
            + " AND il.kind IN ('usage', 'adjustment') AND (e.id = t.id OR " + EARLIER + ")"
            + " AND (l.credit_note_id IS NULL OR " + CREDITED_BEFORE + ") ORDER BY l.id")
    List<LedgerEntry> spanRows(
            @Bind("invoice") String invoiceId,
            @Bind("subscription") String subscriptionId,
            @Bind("item") String itemId,
            @Bind("price") String priceId,
            @Bind("from") Instant from,
            @Bind("to") Instant to);

    /**
     * The rows line {@code line} billed on its own invoice, in the order they were recorded: not those a later
     * credit note of late usage billed against it (V32), which came after that invoice.
     */
    @SqlQuery("SELECT l.* FROM billing.usage_ledger l WHERE l.invoice_line_id = :line AND l.credit_note_id IS NULL"
            + " ORDER BY l.id")
    List<LedgerEntry> rowsOf(@Bind("line") String lineId);

    /**
     * The rows billed for the customer's {@code feature} in period {@code [start, end)} (a line's period: its
     * own, else its invoice's) by line {@code line} or by lines of invoices written before invoice {@code
     * invoice}, or by a credit note of late usage issued before it or with it (V32, {@link #CREDITED_BEFORE}):
     * what the period close merged for an adjustment of that period.
     */
    @SqlQuery("SELECT l.* FROM billing.usage_ledger l"
            + " JOIN billing.invoice_lines il ON il.id = l.invoice_line_id"
            + " JOIN billing.invoices e ON e.id = il.invoice_id JOIN billing.invoices t ON t.id = :invoice"
            + " LEFT JOIN billing.credit_notes cn ON cn.id = l.credit_note_id"
            + " WHERE e.customer_id = t.customer_id AND il.feature_key = :feature"
            + " AND (l.credit_note_id IS NULL OR " + CREDITED_BEFORE + ")"
            + " AND il.kind IN ('usage', 'adjustment') AND coalesce(il.usage_start, e.period_start) = :start"
            + " AND coalesce(il.usage_end, e.period_end) = :end AND (il.id = :line OR " + EARLIER + ")"
            + " ORDER BY l.id")
    List<LedgerEntry> periodRows(
            @Bind("invoice") String invoiceId,
            @Bind("line") String lineId,
            @Bind("feature") String feature,
            @Bind("start") Instant start,
            @Bind("end") Instant end);

    /** What the close billed for a period before an invoice: as {@code CloseRating.Billed}, or all null. */
    record BilledBefore(String priceId, BigDecimal quantity, Long amountMinor) {}

    /**
     * What the period close's invoices written before invoice {@code invoice} billed for the customer's {@code
     * feature} in period {@code [start, end)}, as the close read it for an adjustment: the price of its usage
     * line (else of its first adjustment) and the quantity and amount of its lines added up; all null if none.
     */
    @SqlQuery("SELECT (array_agg(il.price_id ORDER BY il.kind <> 'usage', e.created_at, il.id))[1] AS price_id,"
            + " sum(il.quantity) AS quantity, sum(il.amount_minor) AS amount_minor FROM billing.invoice_lines il"
            + " JOIN billing.invoices e ON e.id = il.invoice_id JOIN billing.invoices t ON t.id = :invoice"
            + " WHERE e.customer_id = t.customer_id AND e.billing_period_id IS NOT NULL AND il.feature_key = :feature"
            + " AND il.kind IN ('usage', 'adjustment') AND coalesce(il.usage_start, e.period_start) = :start"
            + " AND coalesce(il.usage_end, e.period_end) = :end AND " + EARLIER)
    @RegisterConstructorMapper(BilledBefore.class)
    BilledBefore billedBefore(
            @Bind("invoice") String invoiceId,
            @Bind("feature") String feature,
            @Bind("start") Instant start,
            @Bind("end") Instant end);

    /** What credit notes of late usage took off a period before an invoice: quantity and amount (0 if none). */
    record CorrectedBefore(BigDecimal quantity, long amountMinor) {}

    /**
     * What the credit notes of late usage issued before invoice {@code invoice} (or with it, {@link
     * #CREDITED_BEFORE}) took off the customer's {@code feature} in period {@code [start, end)} (V32): as the close
     * read it, the billed amount of the period is its lines less these.
     */
    @SqlQuery("SELECT coalesce(sum(cn.corrected_quantity), 0) AS quantity, coalesce(sum(cn.amount_minor), 0)"
            + " AS amount_minor FROM billing.credit_notes cn JOIN billing.invoice_lines il ON il.id = cn.corrects_line_id"
            + " JOIN billing.invoices e ON e.id = il.invoice_id JOIN billing.invoices t ON t.id = :invoice"
            + " WHERE e.customer_id = t.customer_id AND e.billing_period_id IS NOT NULL AND il.feature_key = :feature"
            + " AND coalesce(il.usage_start, e.period_start) = :start AND coalesce(il.usage_end, e.period_end) = :end"
            + " AND " + CREDITED_BEFORE)
    @RegisterConstructorMapper(CorrectedBefore.class)
    CorrectedBefore correctedBefore(
            @Bind("invoice") String invoiceId,
            @Bind("feature") String feature,
            @Bind("start") Instant start,
            @Bind("end") Instant end);

    /**
     * The customer's credit not yet applied when invoice {@code invoice} was written, in its currency: the
     * credit lines of the customer's earlier invoices, and what credit notes issued before it credited to the
     * customer's balance (V29), in minor units; a note issued in the invoice's own transaction (late usage, {@link
     * #CREDITED_BEFORE}) counts: the close rated the invoice with it.
     */
    @SqlQuery("SELECT (SELECT coalesce(sum(il.amount_minor), 0) FROM billing.invoice_lines il"
            + " JOIN billing.invoices e ON e.id = il.invoice_id JOIN billing.invoices t ON t.id = :invoice"
            + " WHERE e.customer_id = t.customer_id AND e.currency = t.currency"
            + " AND il.kind IN ('credit_carried_forward', 'credit_applied') AND " + EARLIER + ")"
            + " + (SELECT coalesce(sum(cn.post_payment_minor), 0) FROM billing.credit_notes cn"
            + " JOIN billing.invoices t ON t.id = :invoice WHERE cn.outcome = 'credit'"
            + " AND cn.customer_id = t.customer_id AND cn.currency = t.currency AND " + CREDITED_BEFORE + ")")
    long creditBefore(@Bind("invoice") String invoiceId);
}
