package dev.tally.billing.invoice;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Invoice counters (V20, per mode since V27): one row per organization and mode, locked by whoever numbers its
 * invoices until that transaction ends, so numbers are gapless and never taken twice.
 */
@RegisterConstructorMapper(InvoiceCounterDao.Counter.class)
public interface InvoiceCounterDao {

    /** An organization's next invoice number in a mode, as locked, with the organization's invoice prefix. */
    record Counter(String organizationId, boolean livemode, long nextNumber, String invoicePrefix) {

        /** The number of the counter's {@code n}th invoice, finalized at {@code at}. */
        public String number(Instant at, long n) {
            return InvoiceNumber.of(invoicePrefix, livemode, at, n);
        }
    }

    /**
     * Locks the counters of the organizations {@code ids} in the modes {@code modes} (pairwise) in (organization,
     * mode) order, so that two writers never wait on each other in opposite orders, and returns them.
     */
    @SqlQuery("SELECT c.organization_id, c.livemode, c.next_number, o.invoice_prefix FROM billing.invoice_counters c"
            + " JOIN billing.organizations o ON o.id = c.organization_id"
            + " WHERE (c.organization_id, c.livemode) IN"
            + " (SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:modes AS boolean[])))"
            + " ORDER BY c.organization_id, c.livemode FOR UPDATE OF c")
    List<Counter> lock(@Bind("ids") List<String> organizationIds, @Bind("modes") List<Boolean> livemodes);

    /**
     * Sets the next number of each counter ({@code ids} and {@code modes} pairwise) to its element of {@code
     * next}; the counters are locked.
     */
    @SqlUpdate("UPDATE billing.invoice_counters c SET next_number = u.next"
            + " FROM unnest(CAST(:ids AS text[]), CAST(:modes AS boolean[]), CAST(:next AS bigint[])) AS u(id, mode, next)"
            + " WHERE c.organization_id = u.id AND c.livemode = u.mode")
    void advance(
            @Bind("ids") List<String> organizationIds,
            @Bind("modes") List<Boolean> livemodes,
            @Bind("next") List<Long> nextNumbers);
}
