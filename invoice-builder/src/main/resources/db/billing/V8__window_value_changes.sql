-- A UNIQUE_COUNT statement no longer carries its window's whole set of values: it carries what its
-- revision adds to and removes from the previous revision, split into parts when they do not fit
-- one record. Revision 0 comes on usage-aggregates and restatements on usage-corrections, so billing
-- may receive revision 2 before revision 0, and any record twice. window_values stored ranges
-- [from_revision, to_revision) computed by diffing whole sets in the order statements arrived: it
-- cannot take a delta out of order. This store does not depend on the order:
--   window_value_changes   each change once, at the revision that made it; a value's state as of
--                          revision r is its change with the greatest revision <= r (none: absent);
--   window_statement_parts each part of each statement received, so that a redelivery changes
--                          nothing, and so that a window's values as of r are known to be exact only
--                          once every part of every revision 0..r has arrived.

CREATE TABLE window_value_changes (
    organization_id text    NOT NULL,
    livemode        boolean NOT NULL,
    -- usage_ledger.window_key of the window's statements
    window_key      text    NOT NULL,
    value           text    NOT NULL,
    revision        bigint  NOT NULL CHECK (revision >= 0),
    -- true: the revision added the value; false: it removed it
    present         boolean NOT NULL,
    -- also the index of the reads: a window's changes up to a revision, value by value (present is
    -- included so that the count reads the index alone)
    PRIMARY KEY (organization_id, livemode, window_key, value, revision) INCLUDE (present)
);

-- Every aggregation records its parts (always part 0 of 1 but for UNIQUE_COUNT), so that the rule
-- is one: a part is applied once, the first time it is received. Only UNIQUE_COUNT windows are
-- checked for completeness, since only their statements depend on the revisions before them.
CREATE TABLE window_statement_parts (
    organization_id text    NOT NULL,
    livemode        boolean NOT NULL,
    window_key      text    NOT NULL,
    revision        bigint  NOT NULL CHECK (revision >= 0),
    part            integer NOT NULL CHECK (part >= 0),
    parts           integer NOT NULL CHECK (parts > part),
    PRIMARY KEY (organization_id, livemode, window_key, revision, part)
);

-- The ranges become changes: present at from_revision, absent again at to_revision. A value's
-- ranges never touch (a value removed at r is not also added at r), so no two changes collide, and
-- every window's values as of every revision are the ones window_values held for it.
INSERT INTO window_value_changes (organization_id, livemode, window_key, value, revision, present)
SELECT organization_id, livemode, window_key, value, from_revision, true FROM window_values
UNION ALL
SELECT organization_id, livemode, window_key, value, to_revision, false FROM window_values
WHERE to_revision IS NOT NULL;

-- Every window in the ledger counts as received, in one part, through its newest revision, ALSO
-- the revisions in between that never reached the ledger: window_values held each received
-- statement's whole set, and took a revision older than the newest it had as changing nothing.
-- Marking the gaps received keeps that: a delta arriving for one of them now is a redelivery, since
-- applied over ranges diffed from later whole sets it could undo a change of a later revision. So
-- a migrated window is complete as of every revision it has in the ledger.
INSERT INTO window_statement_parts (organization_id, livemode, window_key, revision, part, parts)
SELECT w.organization_id, w.livemode, w.window_key, r.revision, 0, 1
FROM (SELECT organization_id, livemode, window_key, max(revision) AS newest
      FROM usage_ledger GROUP BY organization_id, livemode, window_key) w
CROSS JOIN LATERAL generate_series(0, w.newest) AS r(revision);

DROP TABLE window_values;
