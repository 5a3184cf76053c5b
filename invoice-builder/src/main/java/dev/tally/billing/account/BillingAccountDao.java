package dev.tally.billing.account;

import static dev.tally.billing.Rows.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * The customers' billing accounts (V31). The state is only ever computed by the database's {@code
 * billing_state_at}, from the earliest open invoice's due date and the organization's grace days; a change is
 * written by locking the accounts first and computing in a later statement, so that it reads every payment
 * committed before the lock was granted.
 */
public interface BillingAccountDao {

    /** The earliest due date of {@code a}'s (the account's) open invoices, null when none is open. */
    String EARLIEST_OPEN_DUE = "(SELECT min(i.due_at) FROM billing.invoices i"
            + " WHERE i.customer_id = a.customer_id AND i.status = 'finalized')";

    /** The state {@code a} should be in at {@code :now}, with {@code o} its organization. */
    String TARGET_STATE = "billing.billing_state_at(" + EARLIEST_OPEN_DUE + ", o.grace_days, :now)";

    /** The accounts of the customers {@code :ids} of an organization and mode (an id without one is left out). */
    @SqlQuery("SELECT customer_id, state, state_since FROM billing.billing_accounts"
            + " WHERE organization_id = :org AND livemode = :livemode AND customer_id = ANY(:ids)")
    @UseRowMapper(AccountRows.class)
    List<BillingAccount> accounts(
            @Bind("org") String organizationId, @Bind("livemode") boolean livemode, @Bind("ids") String[] ids);

    /**
     * Locks up to {@code limit} accounts whose stored state is not the one they should be in at {@code now},
     * skipping those another transaction holds; returns their customer ids. Only accounts not active and
     * customers with an open invoice past due can be such: they are read from their indexes.
     */
    @SqlQuery("WITH candidates AS (SELECT customer_id FROM billing.billing_accounts WHERE state <> 'active'"
            + " UNION SELECT customer_id FROM billing.invoices WHERE status = 'finalized' AND due_at < :now)"
            + " SELECT a.customer_id FROM billing.billing_accounts a JOIN candidates USING (customer_id)"
            + " JOIN billing.organizations o ON o.id = a.organization_id"
            + " WHERE a.state <> " + TARGET_STATE
            + " ORDER BY a.customer_id LIMIT :limit FOR UPDATE OF a SKIP LOCKED")
    List<String> lockStale(@Bind("now") Instant now, @Bind("limit") int limit);

    /** Locks the account of customer {@code customerId}, waiting for a transaction that holds it. */
    @SqlQuery("SELECT customer_id FROM billing.billing_accounts WHERE customer_id = :id FOR UPDATE")
    Optional<String> lock(@Bind("id") String customerId);

    /**
     * Sets each of the (locked) accounts of {@code ids} that is not in the state it should be at {@code now}
     * to that state, since {@code now}, counting one more change; returns the changes. A change back to
     * active names {@code cause} as its invoice when given, else the customer's latest invoice paid, voided or
     * written off; a change away from active the earliest open invoice.
     */
    @SqlQuery("UPDATE billing.billing_accounts a SET state = t.state, state_since = :now, changes = a.changes + 1"
            + " FROM (SELECT a.customer_id, a.state AS previous, " + TARGET_STATE + " AS state"
            + " FROM billing.billing_accounts a JOIN billing.organizations o ON o.id = a.organization_id"
            + " WHERE a.customer_id = ANY(:ids)) t"
            + " WHERE a.customer_id = t.customer_id AND a.state <> t.state"
            + " RETURNING a.customer_id, t.previous, a.state, a.state_since, a.changes, CASE WHEN a.state = 'active'"
            + " THEN coalesce(CAST(:cause AS text), (SELECT i.id FROM billing.invoices i"
            + " WHERE i.customer_id = a.customer_id AND i.status IN ('paid', 'void', 'uncollectible')"
            + " ORDER BY greatest(i.paid_at, i.voided_at, i.uncollectible_at) DESC NULLS LAST, i.id DESC LIMIT 1))"
            + " ELSE (SELECT i.id FROM billing.invoices i WHERE i.customer_id = a.customer_id"
            + " AND i.status = 'finalized' ORDER BY i.due_at, i.id LIMIT 1) END AS cause")
    @UseRowMapper(ChangeRows.class)
    List<BillingStateChange> moveToTarget(
            @Bind("ids") String[] ids, @Bind("now") Instant now, @Bind("cause") String causeInvoiceId);

    /** Reads a row of {@link #accounts}. */
    final class AccountRows implements RowMapper<BillingAccount> {
        @Override
        public BillingAccount map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new BillingAccount(rs.getString("customer_id"), rs.getString("state"), instant(rs, "state_since"));
        }
    }

    /** Reads a row of {@link #moveToTarget}. */
    final class ChangeRows implements RowMapper<BillingStateChange> {
        @Override
        public BillingStateChange map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new BillingStateChange(
                    rs.getString("customer_id"),
                    rs.getString("previous"),
                    rs.getString("state"),
                    instant(rs, "state_since"),
                    rs.getLong("changes"),
                    rs.getString("cause"));
        }
    }
}
