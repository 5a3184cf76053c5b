package dev.tally.billing.invoice;

import static dev.tally.billing.Rows.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Invoices, their lines, payment requests and payments in {@code billing}. The database refuses
 * any change to a finalized invoice or its lines, and checks as an invoice leaves draft that its
 * total is the sum of its lines (V17).
 */
public final class InvoiceDao {

    /** The columns {@link #invoice(ResultSet)} reads, from {@code i} (the invoice) joined to {@code c} (its customer). */
    public static final String INVOICE_SELECT = "SELECT i.id, i.number, i.organization_id, i.livemode,"
            + " i.customer_id, c.external_id, i.currency, i.period_start, i.period_end, i.status, i.total_minor,"
            + " i.created_at, i.finalized_at, i.paid_at, i.subscription_id, " + InvoiceDao.LIFECYCLE_COLUMNS
            + " FROM billing.invoices i"
            + " JOIN billing.customers c ON c.id = i.customer_id";

    /** The lifecycle columns of {@code i} that {@link #invoice(ResultSet)} reads too (V26). */
    public static final String LIFECYCLE_COLUMNS = "i.due_at, i.voided_at, i.void_reason, i.uncollectible_at,"
            + " i.uncollectible_reason, i.paid_out_of_band, i.paid_out_of_band_by, " + InvoiceDao.DRAFT_COLUMNS;

    /** The columns of {@code i} a draft is edited in (V30), read by {@link #invoice(ResultSet)} too. */
    public static final String DRAFT_COLUMNS = "i.memo, i.footer, i.auto_finalize_at";

    private final Handle handle;

    public InvoiceDao(Handle handle) {
        this.handle = handle;
    }

    private static final String INSERT_DRAFT = "INSERT INTO billing.invoices (id, number, organization_id,"
            + " livemode, customer_id, billing_period_id, subscription_id, currency, period_start, period_end, status)"
            + " VALUES (:id, :number, :org, :livemode, :customer, :period, :subscription, :currency, :start, :end,"
            + " 'draft')";

    private static final String INSERT_LINE = "INSERT INTO billing.invoice_lines (id, invoice_id, kind, price_id,"
            + " feature_key, quantity, unit_amount, amount_minor, usage_start, usage_end, previous_quantity,"
            + " description, subscription_id, line_key, item_id, event_count, line_number)"
            + " VALUES (:id, :invoice, :kind, :price, :feature, :quantity, :unitAmount, :amount,"
            + " :usageStart, :usageEnd, :previous, :description, :subscription, :key, :item, :events, :number)";

    /** Inserts {@code draft} as a draft invoice with a zero total. */
    public void insertDraft(InvoiceDraft draft) {
        bindDraft(handle.createUpdate(INSERT_DRAFT), draft).execute();
    }

    /** {@link #insertDraft} of each of {@code drafts}, in one batch. */
    public void insertDrafts(List<InvoiceDraft> drafts) {
        PreparedBatch batch = handle.prepareBatch(INSERT_DRAFT);
        drafts.forEach(draft -> bindDraft(batch, draft).add());
        if (!drafts.isEmpty()) {
            batch.execute();
        }
    }

    /** Inserts {@code line} as its invoice's {@code lineNumber}th (the order the invoice shows). */
    public void insertLine(InvoiceLine line, int lineNumber) {
        bindLine(handle.createUpdate(INSERT_LINE), line, lineNumber).execute();
    }

    /** {@link #insertLine} of each of {@code lines}, numbered from 1 in their order within each invoice, in one batch. */
    public void insertLines(List<InvoiceLine> lines) {
        PreparedBatch batch = handle.prepareBatch(INSERT_LINE);
        Map<String, Integer> numbers = new HashMap<>();
        lines.forEach(line -> bindLine(batch, line, numbers.merge(line.invoiceId(), 1, Integer::sum))
                .add());
        if (!lines.isEmpty()) {
            batch.execute();
        }
    }

    private static <S extends SqlStatement<S>> S bindDraft(S statement, InvoiceDraft draft) {
        return statement
                .bind("id", draft.id())
                .bind("number", draft.number())
                .bind("org", draft.organizationId())
                .bind("livemode", draft.livemode())
                .bind("customer", draft.customerId())
                .bind("period", draft.billingPeriodId())
                .bind("subscription", draft.subscriptionId())
                .bind("currency", draft.currency())
                .bind("start", draft.period().start())
                .bind("end", draft.period().end());
    }

    private static <S extends SqlStatement<S>> S bindLine(S statement, InvoiceLine line, int lineNumber) {
        InvoiceLine.SubscriptionLine of = line.subscriptionLine();
        return statement
                .bind("id", line.id())
                .bind("invoice", line.invoiceId())
                .bind("kind", line.kind().text())
                .bind("price", line.priceId())
                .bind("feature", line.featureKey())
                .bind("quantity", line.quantity())
                .bind("unitAmount", line.unitAmount())
                .bind("amount", line.amountMinor())
                .bind(
                        "usageStart",
                        line.usagePeriod() == null ? null : line.usagePeriod().start())
                .bind(
                        "usageEnd",
                        line.usagePeriod() == null ? null : line.usagePeriod().end())
                .bind("previous", line.previousQuantity())
                .bind("description", line.description())
                .bind("subscription", of == null ? null : of.subscriptionId())
                .bind("key", of == null ? null : of.key())
                .bind("item", of == null ? null : of.itemId())
                .bind("events", line.eventCount())
                .bind("number", lineNumber);
    }

    /** Sets a draft's total and finalizes it: from now on the database refuses changes. */
    public void finalizeDraft(String id, long totalMinor, Instant at) {
        handle.createUpdate("UPDATE billing.invoices SET total_minor = :total, status = 'finalized',"
                        + " finalized_at = :at WHERE id = :id AND status = 'draft'")
                .bind("id", id)
                .bind("total", totalMinor)
                .bind("at", at)
                .execute();
    }

    /**
     * Finalizes drafts {@code ids} at {@code at}, each with its element of {@code totalsMinor} and of {@code
     * numbers}, in one statement; returns their due dates, by id, as the database set them (V26).
     */
    public Map<String, Instant> finalizeDrafts(
            List<String> ids, List<Long> totalsMinor, List<String> numbers, Instant at) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, Instant> dueDates = new HashMap<>();
        handle.createQuery("UPDATE billing.invoices i SET total_minor = u.total, number = u.number,"
                        + " status = 'finalized', finalized_at = :at FROM unnest(CAST(:ids AS text[]),"
                        + " CAST(:totals AS bigint[]), CAST(:numbers AS text[])) AS u(id, total, number)"
                        + " WHERE i.id = u.id AND i.status = 'draft' RETURNING i.id, i.due_at")
                .bindArray("ids", String.class, ids)
                .bindArray("totals", Long.class, totalsMinor)
                .bindArray("numbers", String.class, numbers)
                .bind("at", at)
                .map((rs, ctx) -> Map.entry(rs.getString("id"), instant(rs, "due_at")))
                .forEach(due -> dueDates.put(due.getKey(), due.getValue()));
        return dueDates;
    }

    /**
     * Marks an open or uncollectible invoice paid (by its Stellar payments); returns false if it was neither
     * (already paid, or void).
     */
    public boolean markPaid(String id, Instant at) {
        return handle.createUpdate("UPDATE billing.invoices SET status = 'paid', paid_at = :at"
                                + " WHERE id = :id AND status IN ('finalized', 'uncollectible')")
                        .bind("id", id)
                        .bind("at", at)
                        .execute()
                == 1;
    }

    /** Voids an open or uncollectible invoice at {@code at}; returns false if it was neither. */
    public boolean markVoid(String id, String reason, Instant at) {
        return handle.createUpdate("UPDATE billing.invoices SET status = 'void', voided_at = :at, void_reason = :reason"
                                + " WHERE id = :id AND status IN ('finalized', 'uncollectible')")
                        .bind("id", id)
                        .bind("reason", reason)
                        .bind("at", at)
                        .execute()
                == 1;
    }

    /** Writes off an open invoice at {@code at}; returns false if it was not open. */
    public boolean markUncollectible(String id, String reason, Instant at) {
        return handle.createUpdate("UPDATE billing.invoices SET status = 'uncollectible', uncollectible_at = :at,"
                                + " uncollectible_reason = :reason WHERE id = :id AND status = 'finalized'")
                        .bind("id", id)
                        .bind("reason", reason)
                        .bind("at", at)
                        .execute()
                == 1;
    }

    /**
     * Marks an open or uncollectible invoice paid outside Stellar at {@code at}, by the API key {@code by};
     * returns false if it was neither.
     */
    public boolean markPaidOutOfBand(String id, String by, Instant at) {
        return handle.createUpdate(
                                "UPDATE billing.invoices SET status = 'paid', paid_at = :at, paid_out_of_band = true,"
                                        + " paid_out_of_band_by = :by WHERE id = :id AND status IN ('finalized', 'uncollectible')")
                        .bind("id", id)
                        .bind("by", by)
                        .bind("at", at)
                        .execute()
                == 1;
    }

    /**
     * Marks notified at {@code now} up to {@code limit} open invoices past due at {@code now} and not yet
     * notified, earliest due first, skipping those another transaction holds; returns them as they now are.
     */
    public List<Invoice> claimOverdue(Instant now, int limit) {
        List<String> ids = handle.createQuery("UPDATE billing.invoices SET overdue_notified_at = :now WHERE id IN"
                        + " (SELECT id FROM billing.invoices WHERE status = 'finalized' AND overdue_notified_at IS NULL"
                        + " AND due_at < :now ORDER BY due_at, id LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING id")
                .bind("now", now)
                .bind("limit", limit)
                .mapTo(String.class)
                .list();
        if (ids.isEmpty()) {
            return List.of();
        }
        return handle.createQuery(INVOICE_SELECT + " WHERE i.id = ANY(:ids) ORDER BY i.due_at, i.id")
                .bindArray("ids", String.class, ids)
                .map((rs, ctx) -> invoice(rs))
                .list();
    }

    /** The invoices {@code ids} (of any organization: the caller read the ids from its own), in no order. */
    public List<Invoice> invoices(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return handle.createQuery(INVOICE_SELECT + " WHERE i.id = ANY(:ids)")
                .bindArray("ids", String.class, ids)
                .map((rs, ctx) -> invoice(rs))
                .list();
    }

    /** An invoice of an organization and mode, locked until the transaction ends: for its transitions. */
    public Optional<Invoice> invoiceForUpdate(String organizationId, boolean livemode, String id) {
        return handle.createQuery(INVOICE_SELECT
                        + " WHERE i.organization_id = :org AND i.livemode = :livemode AND i.id = :id FOR UPDATE OF i")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("id", id)
                .map((rs, ctx) -> invoice(rs))
                .findOne();
    }

    /** The billing period a draft of the period close was written for (null: the cycle's, of a subscription). */
    public Long billingPeriodOf(String id) {
        return handle.createQuery("SELECT billing_period_id FROM billing.invoices WHERE id = :id")
                .bind("id", id)
                .mapTo(Long.class)
                .one();
    }

    /** An invoice of an organization and mode. */
    public Optional<Invoice> invoice(String organizationId, boolean livemode, String id) {
        return handle.createQuery(
                        INVOICE_SELECT + " WHERE i.organization_id = :org AND i.livemode = :livemode AND i.id = :id")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("id", id)
                .map((rs, ctx) -> invoice(rs))
                .findOne();
    }

    /** {@link #creditedMinor} of each of {@code ids} that has credit notes, in one statement (absent: 0). */
    public Map<String, Long> creditedOf(List<String> ids) {
        Map<String, Long> credited = new HashMap<>();
        if (ids.isEmpty()) {
            return credited;
        }
        handle.createQuery("SELECT invoice_id, sum(amount_minor) AS credited FROM billing.credit_notes"
                        + " WHERE invoice_id = ANY(:ids) GROUP BY invoice_id")
                .bindArray("ids", String.class, ids)
                .map((rs, ctx) -> Map.entry(rs.getString("invoice_id"), rs.getLong("credited")))
                .forEach(entry -> credited.put(entry.getKey(), entry.getValue()));
        return credited;
    }

    /** What the credit notes of invoice {@code id} add up to, in minor units (V29; 0 when it has none). */
    public long creditedMinor(String id) {
        return handle.createQuery(
                        "SELECT coalesce(sum(amount_minor), 0) FROM billing.credit_notes WHERE invoice_id = :id")
                .bind("id", id)
                .mapTo(Long.class)
                .one();
    }

    /** An invoice by id alone, locked: for the payment-events consumer. */
    public Optional<Invoice> invoiceForUpdate(String id) {
        return handle.createQuery(INVOICE_SELECT + " WHERE i.id = :id FOR UPDATE OF i")
                .bind("id", id)
                .map((rs, ctx) -> invoice(rs))
                .findOne();
    }

    /** The invoices a billing period's close created, by number. */
    public List<Invoice> invoicesOfPeriod(long billingPeriodId) {
        return handle.createQuery(INVOICE_SELECT + " WHERE i.billing_period_id = :period ORDER BY i.number")
                .bind("period", billingPeriodId)
                .map((rs, ctx) -> invoice(rs))
                .list();
    }

    /** The lines of an invoice in their {@link #LINE_ORDER}. */
    public List<InvoiceLine> lines(String invoiceId) {
        return handle.createQuery("SELECT " + LINE_COLUMNS
                        + " FROM billing.invoice_lines il JOIN billing.invoices i ON i.id = il.invoice_id"
                        + " WHERE il.invoice_id = :invoice ORDER BY " + LINE_ORDER)
                .bind("invoice", invoiceId)
                .map(LineColumns.mapper())
                .list();
    }

    /**
     * The lines of invoices {@code ids}, each invoice's in its {@link #LINE_ORDER}, by invoice id, in one
     * statement (a page of invoices reads its lines at once, never one invoice at a time).
     */
    public Map<String, List<InvoiceLine>> linesOf(List<String> ids) {
        Map<String, List<InvoiceLine>> lines = new HashMap<>();
        if (ids.isEmpty()) {
            return lines;
        }
        handle.createQuery("SELECT " + LINE_COLUMNS
                        + " FROM billing.invoice_lines il JOIN billing.invoices i ON i.id = il.invoice_id"
                        + " WHERE il.invoice_id = ANY(:ids) ORDER BY il.invoice_id, " + LINE_ORDER)
                .bindArray("ids", String.class, ids)
                .map(LineColumns.mapper())
                .forEach(line -> lines.computeIfAbsent(line.invoiceId(), id -> new ArrayList<>())
                        .add(line));
        return lines;
    }

    /**
     * The columns {@link #line} reads, of {@code il} (the line) joined to {@code i} (its invoice): a line of the
     * close written before lines named their period bills its invoice's period.
     */
    public static final String LINE_COLUMNS = "il.id, il.invoice_id, il.kind, il.price_id, il.feature_key,"
            + " il.quantity, il.unit_amount, il.amount_minor, il.previous_quantity, il.description,"
            + " il.subscription_id, il.line_key, il.item_id, il.event_count,"
            + " coalesce(il.usage_start, i.period_start) AS usage_start,"
            + " coalesce(il.usage_end, i.period_end) AS usage_end";

    /**
     * The order of an invoice's lines ({@code il}): as they were written; lines written before they were
     * numbered: usage, then adjustments (by feature and period), then credit.
     */
    public static final String LINE_ORDER = "il.line_number, CASE il.kind WHEN 'usage' THEN 0"
            + " WHEN 'adjustment' THEN 1 ELSE 2 END, il.feature_key, il.usage_start, il.id";

    /** The line of a row of {@link #LINE_COLUMNS} (a statement of many lines maps them with {@link LineColumns#mapper()}). */
    public static InvoiceLine line(ResultSet rs) throws SQLException {
        return LineColumns.of(rs).line(rs);
    }

    /** Stores (or replaces with a newer one) the payment request of an invoice. */
    public void upsertPaymentRequest(PaymentRequest r, String eventId) {
        handle.createUpdate("INSERT INTO billing.payment_requests (invoice_id, event_id, pay_uri, memo, amount,"
                        + " asset_code, asset_issuer, destination, requested_at) VALUES (:invoice, :event, :uri,"
                        + " :memo, :amount, :asset, :issuer, :destination, :at) ON CONFLICT (invoice_id) DO UPDATE"
                        + " SET event_id = excluded.event_id, pay_uri = excluded.pay_uri, memo = excluded.memo,"
                        + " amount = excluded.amount, asset_code = excluded.asset_code,"
                        + " asset_issuer = excluded.asset_issuer, destination = excluded.destination,"
                        + " requested_at = excluded.requested_at"
                        + " WHERE payment_requests.requested_at <= excluded.requested_at")
                .bind("invoice", r.invoiceId())
                .bind("event", eventId)
                .bind("uri", r.payUri())
                .bind("memo", r.memo())
                .bind("amount", r.amount())
                .bind("asset", r.assetCode())
                .bind("issuer", r.assetIssuer())
                .bind("destination", r.destination())
                .bind("at", r.requestedAt())
                .execute();
    }

    private static final String PAYMENT_REQUEST_SELECT = "SELECT invoice_id, pay_uri, memo, amount, asset_code,"
            + " asset_issuer, destination, requested_at FROM billing.payment_requests";

    public Optional<PaymentRequest> paymentRequest(String invoiceId) {
        return handle.createQuery(PAYMENT_REQUEST_SELECT + " WHERE invoice_id = :invoice")
                .bind("invoice", invoiceId)
                .map((rs, ctx) -> paymentRequest(rs))
                .findOne();
    }

    private static PaymentRequest paymentRequest(ResultSet rs) throws SQLException {
        return new PaymentRequest(
                rs.getString("invoice_id"),
                rs.getString("pay_uri"),
                rs.getString("memo"),
                rs.getBigDecimal("amount"),
                rs.getString("asset_code"),
                rs.getString("asset_issuer"),
                rs.getString("destination"),
                instant(rs, "requested_at"));
    }

    /** The payment requests of invoices {@code ids} (those that have one), by invoice id, in one statement. */
    public Map<String, PaymentRequest> paymentRequestsOf(List<String> ids) {
        Map<String, PaymentRequest> requests = new HashMap<>();
        if (ids.isEmpty()) {
            return requests;
        }
        handle.createQuery(PAYMENT_REQUEST_SELECT + " WHERE invoice_id = ANY(:ids)")
                .bindArray("ids", String.class, ids)
                .map((rs, ctx) -> paymentRequest(rs))
                .forEach(request -> requests.put(request.invoiceId(), request));
        return requests;
    }

    /**
     * Records a payment unless its transaction hash is already recorded.
     *
     * @return whether it was new
     */
    public boolean insertPayment(Payment p, String eventId) {
        return handle.createUpdate("INSERT INTO billing.invoice_payments (invoice_id, event_id, transaction_hash,"
                                + " amount, asset_code, asset_issuer, source_account, paid_at) VALUES (:invoice, :event,"
                                + " :hash, :amount, :asset, :issuer, :source, :paidAt)"
                                + " ON CONFLICT (transaction_hash) DO NOTHING")
                        .bind("invoice", p.invoiceId())
                        .bind("event", eventId)
                        .bind("hash", p.transactionHash())
                        .bind("amount", p.amount())
                        .bind("asset", p.assetCode())
                        .bind("issuer", p.assetIssuer())
                        .bind("source", p.sourceAccount())
                        .bind("paidAt", p.paidAt())
                        .execute()
                == 1;
    }

    private static final String PAYMENT_SELECT = "SELECT invoice_id, transaction_hash, amount, asset_code,"
            + " asset_issuer, source_account, paid_at FROM billing.invoice_payments";

    public List<Payment> payments(String invoiceId) {
        return handle.createQuery(PAYMENT_SELECT + " WHERE invoice_id = :invoice ORDER BY paid_at, id")
                .bind("invoice", invoiceId)
                .map((rs, ctx) -> payment(rs))
                .list();
    }

    /** The payments of invoices {@code ids}, each invoice's by time, by invoice id, in one statement. */
    public Map<String, List<Payment>> paymentsOf(List<String> ids) {
        Map<String, List<Payment>> payments = new HashMap<>();
        if (ids.isEmpty()) {
            return payments;
        }
        handle.createQuery(PAYMENT_SELECT + " WHERE invoice_id = ANY(:ids) ORDER BY invoice_id, paid_at, id")
                .bindArray("ids", String.class, ids)
                .map((rs, ctx) -> payment(rs))
                .forEach(payment -> payments.computeIfAbsent(payment.invoiceId(), id -> new ArrayList<>())
                        .add(payment));
        return payments;
    }

    private static Payment payment(ResultSet rs) throws SQLException {
        return new Payment(
                rs.getString("invoice_id"),
                rs.getString("transaction_hash"),
                rs.getBigDecimal("amount"),
                rs.getString("asset_code"),
                rs.getString("asset_issuer"),
                rs.getString("source_account"),
                instant(rs, "paid_at"));
    }

    /** The invoice of a row of {@link #INVOICE_SELECT}. */
    public static Invoice invoice(ResultSet rs) throws SQLException {
        return new Invoice(
                rs.getString("id"),
                rs.getString("number"),
                rs.getString("organization_id"),
                rs.getBoolean("livemode"),
                rs.getString("customer_id"),
                rs.getString("external_id"),
                rs.getString("currency").strip(),
                instant(rs, "period_start"),
                instant(rs, "period_end"),
                rs.getString("status"),
                rs.getLong("total_minor"),
                instant(rs, "created_at"),
                instant(rs, "finalized_at"),
                instant(rs, "paid_at"),
                rs.getString("subscription_id"),
                instant(rs, "due_at"),
                instant(rs, "voided_at"),
                rs.getString("void_reason"),
                instant(rs, "uncollectible_at"),
                rs.getString("uncollectible_reason"),
                rs.getBoolean("paid_out_of_band"),
                rs.getString("paid_out_of_band_by"),
                rs.getString("memo"),
                rs.getString("footer"),
                instant(rs, "auto_finalize_at"));
    }
}
