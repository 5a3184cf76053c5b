package dev.tally.billing.ledger;

import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The distinct values of UNIQUE_COUNT windows in {@code billing.window_values}: each value once per
 * stretch of revisions it holds for ({@code [from_revision, to_revision)}, open while it is in the
 * window's latest statement), so a restatement of a window stores what it changes, not the whole
 * window again.
 */
public final class WindowValuesDao {

    private final Handle handle;

    public WindowValuesDao(Handle handle) {
        this.handle = handle;
    }

    /**
     * Makes {@code values} the window's current set as of {@code revision} when that statement (its
     * ledger row {@code aggregateId} just inserted, in this transaction) is the window's newest:
     * inserts the values it adds, closes the range of those it removes. An older revision, or a
     * second statement of the same revision, changes nothing (the ledger counts the first
     * recorded). Writers of one window are serialized by a transaction lock, so the newest
     * statement wins whatever the order the transactions commit in.
     *
     * @return whether the window's values changed to this statement's
     */
    public boolean restate(
            String organizationId,
            boolean livemode,
            String windowKey,
            String aggregateId,
            long revision,
            Collection<String> values) {
        handle.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(:org || '|' || :key, 0))) l")
                .bind("org", organizationId)
                .bind("key", windowKey)
                .mapTo(Integer.class)
                .one();
        long newestOther = handle.createQuery("SELECT coalesce(max(revision), -1) FROM billing.usage_ledger"
                        + " WHERE organization_id = :org AND livemode = :livemode AND window_key = :key"
                        + " AND aggregate_id <> :id")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("key", windowKey)
                .bind("id", aggregateId)
                .mapTo(Long.class)
                .one();
        if (revision <= newestOther) {
            return false;
        }
        // NOT IN over a subquery is hashed: linear in the window's size, not quadratic
        handle.createUpdate("UPDATE billing.window_values SET to_revision = :revision"
                        + " WHERE organization_id = :org AND livemode = :livemode AND window_key = :key"
                        + " AND to_revision IS NULL AND value NOT IN (SELECT unnest(CAST(:values AS text[])))")
                .bind("revision", revision)
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("key", windowKey)
                .bindArray("values", String.class, values)
                .execute();
        handle.createUpdate("INSERT INTO billing.window_values (organization_id, livemode, window_key, value,"
                        + " from_revision) SELECT DISTINCT CAST(:org AS text), CAST(:livemode AS boolean), CAST(:key AS text), v, CAST(:revision AS bigint)"
                        + " FROM unnest(CAST(:values AS text[])) AS v WHERE NOT EXISTS (SELECT 1"
                        + " FROM billing.window_values c WHERE c.organization_id = :org AND c.livemode = :livemode"
                        + " AND c.window_key = :key AND c.value = v AND c.to_revision IS NULL)")
                .bind("revision", revision)
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bind("key", windowKey)
                .bindArray("values", String.class, values)
                .execute();
        return true;
    }

    /**
     * The number of distinct values of the union of {@code windows}, each window's values as of its
     * statement's revision (not a newer one recorded since it was read), counted in SQL.
     */
    public long distinctCount(String organizationId, boolean livemode, Collection<LedgerEntry> windows) {
        if (windows.isEmpty()) {
            return 0;
        }
        List<String> keys = windows.stream().map(LedgerEntry::windowKey).toList();
        List<Long> revisions = windows.stream().map(LedgerEntry::revision).toList();
        return handle.createQuery("SELECT count(DISTINCT v.value) FROM unnest(CAST(:keys AS text[]),"
                        + " CAST(:revisions AS bigint[])) AS w(window_key, revision)"
                        + " JOIN billing.window_values v ON v.organization_id = :org AND v.livemode = :livemode"
                        + " AND v.window_key = w.window_key AND v.from_revision <= w.revision"
                        + " AND (v.to_revision IS NULL OR v.to_revision > w.revision)")
                .bind("org", organizationId)
                .bind("livemode", livemode)
                .bindArray("keys", String.class, keys)
                .bindArray("revisions", Long.class, revisions)
                .mapTo(Long.class)
                .one();
    }
}
