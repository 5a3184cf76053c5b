package dev.tally.billing.ledger;

import java.util.Collection;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The values of UNIQUE_COUNT windows, stored as the changes each revision makes ({@code
 * billing.window_value_changes}: a value's state as of revision r is its change with the greatest
 * revision &lt;= r), and the parts of every statement received ({@code
 * billing.window_statement_parts}). Nothing here depends on the order statements arrive in: each
 * part is applied once, the first time it is received, and a window's values as of r are exact once
 * every part of revisions 0..r is in (see {@link #missing}).
 */
public interface WindowValuesDao {

    /**
     * Records that part {@code part} of {@code parts} of the window's statement at {@code revision}
     * was received.
     *
     * @return false when it already was (a redelivery, or a second statement of the same revision,
     *     which the ledger does not count either): its changes must not be applied again
     */
    @SqlUpdate("INSERT INTO billing.window_statement_parts (organization_id, livemode, window_key, revision, part,"
            + " parts) VALUES (:org, :livemode, :key, :revision, :part, :parts) ON CONFLICT DO NOTHING")
    boolean recordPart(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("key") String windowKey,
            @Bind("revision") long revision,
            @Bind("part") int part,
            @Bind("parts") int parts);

    /**
     * Records that the window's statement at {@code revision} adds ({@code present}) or removes
     * {@code values}. A statement names a value once; should a malformed one name it twice, the
     * first change recorded stands (as the first statement of a revision does in the ledger).
     */
    @SqlUpdate("INSERT INTO billing.window_value_changes (organization_id, livemode, window_key, value, revision,"
            + " present) SELECT :org, :livemode, :key, v, :revision, :present"
            + " FROM unnest(CAST(:values AS text[])) AS v ON CONFLICT DO NOTHING")
    void recordChanges(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("key") String windowKey,
            @Bind("revision") long revision,
            @Bind("present") boolean present,
            @Bind("values") List<String> values);

    /**
     * The number of distinct values of the union of {@code windows}, each window's values as of its
     * statement's revision (not a newer one recorded since it was read), counted in SQL.
     */
    default long distinctCount(String organizationId, boolean livemode, Collection<LedgerEntry> windows) {
        if (windows.isEmpty()) {
            return 0;
        }
        return distinctCount(
                organizationId,
                livemode,
                windows.stream().map(LedgerEntry::windowKey).toList(),
                windows.stream().map(LedgerEntry::revision).toList());
    }

    /**
     * {@link #distinctCount(String, boolean, Collection)} of windows {@code keys[i]} as of
     * {@code revisions[i]}. Linear in the windows' changes: a value's state as of a revision is its
     * latest change, which each window reads by one backward range scan of the primary key (value,
     * then revision, descending: the first row of each value is its latest change, so DISTINCT ON
     * streams without sorting or holding the window); one hashed set makes the union.
     */
    @SqlQuery("SELECT count(*) FROM (SELECT DISTINCT held.value"
            + " FROM unnest(CAST(:keys AS text[]), CAST(:revisions AS bigint[])) AS w(window_key, revision)"
            + " CROSS JOIN LATERAL (SELECT DISTINCT ON (c.value) c.value, c.present"
            + " FROM billing.window_value_changes c WHERE c.organization_id = :org AND c.livemode = :livemode"
            + " AND c.window_key = w.window_key AND c.revision <= w.revision"
            + " ORDER BY c.value DESC, c.revision DESC) held"
            + " WHERE held.present) union_of_windows")
    long distinctCount(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("keys") List<String> keys,
            @Bind("revisions") List<Long> revisions);

    /**
     * A statement that a window's values as of {@code asOfRevision} are built from and that has not
     * fully arrived: {@code part} of revision {@code revision} is missing; {@code parts} is how many
     * parts that statement has, null when none of it arrived (so its number of parts is unknown).
     */
    record MissingStatement(String windowKey, long asOfRevision, long revision, int part, Integer parts) {}

    /**
     * The windows of {@code windows} whose values as of their statement's revision r are not
     * exact yet, each with its first missing statement (lowest revision, then lowest part): a
     * revision of 0..r none of whose parts arrived, or a part of one that did. Empty when all are
     * complete. Only meaningful for UNIQUE_COUNT windows (the only ones built from earlier
     * revisions).
     */
    default List<MissingStatement> missing(String organizationId, boolean livemode, Collection<LedgerEntry> windows) {
        if (windows.isEmpty()) {
            return List.of();
        }
        return missing(
                organizationId,
                livemode,
                windows.stream().map(LedgerEntry::windowKey).toList(),
                windows.stream().map(LedgerEntry::revision).toList());
    }

    /** {@link #missing(String, boolean, Collection)} of windows {@code keys[i]} as of {@code revisions[i]}. */
    @SqlQuery("WITH windows AS (SELECT DISTINCT w.window_key, w.revision"
            + " FROM unnest(CAST(:keys AS text[]), CAST(:revisions AS bigint[])) AS w(window_key, revision)),"
            // every statement a window's values as of its revision are built from: revisions 0..r
            + " statements AS (SELECT w.window_key, w.revision AS as_of_revision, r.revision,"
            + " count(p.part) AS received, max(p.parts) AS parts FROM windows w"
            + " CROSS JOIN LATERAL generate_series(0, w.revision) AS r(revision)"
            + " LEFT JOIN billing.window_statement_parts p ON p.organization_id = :org AND p.livemode = :livemode"
            + " AND p.window_key = w.window_key AND p.revision = r.revision"
            + " GROUP BY w.window_key, w.revision, r.revision)"
            + " SELECT DISTINCT ON (s.window_key, s.as_of_revision) s.window_key, s.as_of_revision, s.revision,"
            + " coalesce((SELECT min(k) FROM generate_series(0, s.parts - 1) AS k WHERE NOT EXISTS (SELECT 1"
            + " FROM billing.window_statement_parts p WHERE p.organization_id = :org AND p.livemode = :livemode"
            + " AND p.window_key = s.window_key AND p.revision = s.revision AND p.part = k)), 0) AS part,"
            + " s.parts FROM statements s WHERE s.parts IS NULL OR s.received < s.parts"
            + " ORDER BY s.window_key, s.as_of_revision, s.revision")
    @RegisterConstructorMapper(MissingStatement.class)
    List<MissingStatement> missing(
            @Bind("org") String organizationId,
            @Bind("livemode") boolean livemode,
            @Bind("keys") List<String> keys,
            @Bind("revisions") List<Long> revisions);
}
