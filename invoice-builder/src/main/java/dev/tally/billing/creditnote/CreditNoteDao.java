package dev.tally.billing.creditnote;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Credit notes and their lines (V29). The database refuses what must never be written; see the migration. */
@RegisterConstructorMapper(CreditNote.class)
@RegisterConstructorMapper(CreditNoteLine.class)
@RegisterConstructorMapper(CreditNoteDao.LineCredited.class)
public interface CreditNoteDao {

    String SELECT = "SELECT cn.id, cn.number, cn.organization_id, cn.livemode, cn.invoice_id,"
            + " i.number AS invoice_number, cn.customer_id, c.external_id AS customer_external_id,"
            + " rtrim(cn.currency) AS currency, cn.reason, cn.outcome, cn.memo, cn.amount_minor, cn.pre_payment_minor,"
            + " cn.post_payment_minor, cn.issued_at, cn.corrects_line_id, cn.corrected_quantity"
            + " FROM billing.credit_notes cn"
            + " JOIN billing.invoices i ON i.id = cn.invoice_id JOIN billing.customers c ON c.id = cn.customer_id";

    /** What the credit notes of an invoice already credited of one of its lines. */
    record LineCredited(String invoiceLineId, BigDecimal quantity, long amountMinor) {}

    @SqlUpdate("INSERT INTO billing.credit_notes (id, number, sequence, organization_id, livemode, invoice_id,"
            + " customer_id, currency, reason, outcome, memo, amount_minor, pre_payment_minor, post_payment_minor,"
            + " issued_at, corrects_line_id, corrected_quantity) VALUES (:id, :number, :sequence, :organizationId,"
            + " :livemode, :invoiceId, :customerId, :currency, :reason, :outcome, :memo, :amountMinor,"
            + " :prePaymentMinor, :postPaymentMinor, :issuedAt, :correctsLineId, :correctedQuantity)")
    void insert(@BindMethods CreditNote note, @Bind("sequence") long sequence);

    /**
     * {@link #insert} of a late-usage credit note of the billing cycle: it takes the place of the adjustment keyed
     * {@code plannedKey} of its subscription, which would have left the span at {@code plannedQuantity} and {@code
     * plannedEventCount} (V32; the planner reads it back as an invoiced line of that key).
     */
    @SqlUpdate("INSERT INTO billing.credit_notes (id, number, sequence, organization_id, livemode, invoice_id,"
            + " customer_id, currency, reason, outcome, memo, amount_minor, pre_payment_minor, post_payment_minor,"
            + " issued_at, corrects_line_id, corrected_quantity, planned_key, planned_quantity, planned_event_count)"
            + " VALUES (:id, :number, :sequence, :organizationId, :livemode, :invoiceId, :customerId, :currency,"
            + " :reason, :outcome, :memo, :amountMinor, :prePaymentMinor, :postPaymentMinor, :issuedAt,"
            + " :correctsLineId, :correctedQuantity, :plannedKey, :plannedQuantity, :plannedEventCount)")
    void insertPlanned(
            @BindMethods CreditNote note,
            @Bind("sequence") long sequence,
            @Bind("plannedKey") String plannedKey,
            @Bind("plannedQuantity") BigDecimal plannedQuantity,
            @Bind("plannedEventCount") long plannedEventCount);

    @SqlBatch("INSERT INTO billing.credit_note_lines (credit_note_id, position, invoice_line_id, quantity,"
            + " amount_minor) VALUES (:creditNoteId, :position, :invoiceLineId, :quantity, :amountMinor)")
    void insertLines(@BindMethods List<CreditNoteLine> lines);

    /** A credit note of an organization and mode. */
    @SqlQuery(SELECT + " WHERE cn.organization_id = :org AND cn.livemode = :livemode AND cn.id = :id")
    Optional<CreditNote> find(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);

    /** The lines of credit note {@code id}, in order. */
    @SqlQuery("SELECT credit_note_id, position, invoice_line_id, quantity, amount_minor FROM billing.credit_note_lines"
            + " WHERE credit_note_id = :id ORDER BY position")
    List<CreditNoteLine> lines(@Bind("id") String creditNoteId);

    /** The credit notes of invoice {@code invoiceId}, oldest first. */
    @SqlQuery(SELECT + " WHERE cn.invoice_id = :invoice ORDER BY cn.issued_at, cn.sequence")
    List<CreditNote> ofInvoice(@Bind("invoice") String invoiceId);

    /** What the credit notes of invoice {@code invoiceId} credited of each of its lines they credited. */
    @SqlQuery("SELECT l.invoice_line_id, sum(l.quantity) AS quantity, sum(l.amount_minor) AS amount_minor"
            + " FROM billing.credit_note_lines l JOIN billing.credit_notes cn ON cn.id = l.credit_note_id"
            + " WHERE cn.invoice_id = :invoice GROUP BY l.invoice_line_id")
    List<LineCredited> creditedLines(@Bind("invoice") String invoiceId);

    /**
     * Up to {@code limit} credit notes of an organization and mode, newest first (by issue, then number), after
     * credit note {@code after} (null: from the newest), of {@code invoiceId} and {@code customerId} when not null.
     */
    @SqlQuery(SELECT + " WHERE cn.organization_id = :org AND cn.livemode = :livemode"
            + " AND (CAST(:invoice AS text) IS NULL OR cn.invoice_id = :invoice)"
            + " AND (CAST(:customer AS text) IS NULL OR cn.customer_id = :customer)"
            + " AND (CAST(:after AS text) IS NULL OR (cn.issued_at, cn.sequence) <"
            + " (SELECT a.issued_at, a.sequence FROM billing.credit_notes a WHERE a.id = :after))"
            + " ORDER BY cn.issued_at DESC, cn.sequence DESC LIMIT :limit")
    List<CreditNote> page(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("invoice") String invoiceId,
            @Bind("customer") String customerId,
            @Bind("after") String after,
            @Bind("limit") int limit);

    /** Whether credit note {@code id} is one of the organization's, in this mode. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM billing.credit_notes"
            + " WHERE id = :id AND organization_id = :org AND livemode = :livemode)")
    boolean exists(@Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("id") String id);
}
