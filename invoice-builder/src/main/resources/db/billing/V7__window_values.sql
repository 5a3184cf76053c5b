-- A UNIQUE_COUNT window's distinct values are stored ONCE, each with the revisions it holds for
-- ([from_revision, to_revision), to_revision NULL while it is in the window's latest statement),
-- instead of a copy of the whole set on every ledger row: each late event restated the whole
-- window, so 10,002 events of one window made 7,231 rows holding 46 M values. A restatement now
-- inserts the values it adds and closes the range of those it removes.

CREATE TABLE window_values (
    organization_id text    NOT NULL,
    livemode        boolean NOT NULL,
    -- usage_ledger.window_key of the window's statements
    window_key      text    NOT NULL,
    value           text    NOT NULL,
    from_revision   bigint  NOT NULL CHECK (from_revision >= 0),
    to_revision     bigint  CHECK (to_revision > from_revision),
    -- also the index of the reads: a window's values as of a revision, its current values
    PRIMARY KEY (organization_id, livemode, window_key, value, from_revision)
);

-- The values of the statements already recorded, revision after revision of each window. Of two
-- statements of the same revision the first recorded counts (as in the ledger's "superseded").
-- A value held by consecutive statements is one range (gaps and islands over the statements'
-- order); it ends at the revision of the first statement without it, or stays open.
WITH statements AS (
    SELECT DISTINCT ON (organization_id, livemode, window_key, revision)
           organization_id, livemode, window_key, revision, distinct_values
    FROM usage_ledger
    ORDER BY organization_id, livemode, window_key, revision, id
), ordered AS (
    SELECT s.*,
           row_number() OVER w AS position,
           lead(revision) OVER w AS next_revision
    FROM statements s
    WINDOW w AS (PARTITION BY organization_id, livemode, window_key ORDER BY revision)
), held AS (
    SELECT o.organization_id, o.livemode, o.window_key, o.revision, o.next_revision, o.position, v.value
    FROM ordered o, unnest(o.distinct_values) AS v(value)
), islands AS (
    SELECT h.*,
           h.position - row_number() OVER (
               PARTITION BY organization_id, livemode, window_key, value ORDER BY position) AS island
    FROM (SELECT DISTINCT * FROM held) h
)
INSERT INTO window_values (organization_id, livemode, window_key, value, from_revision, to_revision)
SELECT organization_id, livemode, window_key, value,
       min(revision),
       (array_agg(next_revision ORDER BY position DESC))[1]
FROM islands
GROUP BY organization_id, livemode, window_key, value, island;

-- Dropping a column changes no row's billed usage (and fires no row trigger).
ALTER TABLE usage_ledger DROP COLUMN distinct_values;
