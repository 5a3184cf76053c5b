package dev.tally.billing.creditnote;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Credit note counters (V29): one row per organization and mode, locked by whoever numbers a credit note until
 * that transaction ends, so numbers are gapless (a rollback gives its number back) and never taken twice.
 */
@RegisterConstructorMapper(CreditNoteCounterDao.Counter.class)
public interface CreditNoteCounterDao {

    /** An organization's next credit note number in a mode, as locked, with its invoice prefix. */
    record Counter(long nextNumber, String invoicePrefix) {}

    @SqlQuery("SELECT c.next_number, o.invoice_prefix FROM billing.credit_note_counters c"
            + " JOIN billing.organizations o ON o.id = c.organization_id"
            + " WHERE c.organization_id = :org AND c.livemode = :livemode FOR UPDATE OF c")
    Counter lock(@Bind("org") String organizationId, @Bind("livemode") boolean livemode);

    /** Takes the locked counter's number: the next one is one more. */
    @SqlUpdate("UPDATE billing.credit_note_counters SET next_number = next_number + 1"
            + " WHERE organization_id = :org AND livemode = :livemode")
    void advance(@Bind("org") String organizationId, @Bind("livemode") boolean livemode);
}
