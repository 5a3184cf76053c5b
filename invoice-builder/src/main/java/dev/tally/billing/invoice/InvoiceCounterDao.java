package dev.tally.billing.invoice;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Organizations' invoice counters (V20): one row per organization, locked by whoever numbers its invoices until
 * that transaction ends, so numbers are gapless and never taken twice.
 */
@RegisterConstructorMapper(InvoiceCounterDao.Counter.class)
public interface InvoiceCounterDao {

    /** An organization's next invoice number, as locked. */
    record Counter(String organizationId, long nextNumber) {}

    /**
     * Locks the counters of organizations {@code ids} in id order (two writers never wait on each other in
     * opposite orders) and returns them.
     */
    @SqlQuery("SELECT organization_id, next_number FROM billing.invoice_counters"
            + " WHERE organization_id = ANY(CAST(:ids AS text[])) ORDER BY organization_id FOR UPDATE")
    List<Counter> lock(@Bind("ids") List<String> organizationIds);

    /** Sets each of {@code ids}' next number to its element of {@code next}; the counters are locked. */
    @SqlUpdate(
            "UPDATE billing.invoice_counters c SET next_number = u.next"
                    + " FROM unnest(CAST(:ids AS text[]), CAST(:next AS bigint[])) AS u(id, next) WHERE c.organization_id = u.id")
    void advance(@Bind("ids") List<String> organizationIds, @Bind("next") List<Long> nextNumbers);
}
