package dev.tally.billing.invoice;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The customers a period close could not invoice, kept until a later close of the period invoices them. */
public interface CloseFailureDao {

    @SqlUpdate("INSERT INTO billing.period_close_failures (billing_period_id, customer_external_id, code, message)"
            + " VALUES (:period, :customer, :code, :message) ON CONFLICT (billing_period_id, customer_external_id)"
            + " DO UPDATE SET code = excluded.code, message = excluded.message, failed_at = now()")
    void record(
            @Bind("period") long periodId,
            @Bind("customer") String customerExternalId,
            @Bind("code") String code,
            @Bind("message") String message);

    @SqlUpdate("DELETE FROM billing.period_close_failures"
            + " WHERE billing_period_id = :period AND customer_external_id = :customer")
    void clear(@Bind("period") long periodId, @Bind("customer") String customerExternalId);

    /** The period's failed customers, by external id. */
    @SqlQuery("SELECT customer_external_id, code, message FROM billing.period_close_failures"
            + " WHERE billing_period_id = :period ORDER BY customer_external_id")
    @RegisterConstructorMapper(CloseFailure.class)
    List<CloseFailure> failures(@Bind("period") long periodId);
}
