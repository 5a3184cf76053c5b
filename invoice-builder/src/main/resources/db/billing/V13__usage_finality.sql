-- The finality watermarks metering publishes on usage-finality, one row per watermark received
-- (metering_partition: the usage-events partition it belongs to), each with the ledger progress it
-- needs before billing may trust it: required_offsets[i + 1] is the next offset the ledger
-- consumer must have stored for usage-aggregates partition i (1 + the offset of the last
-- committed record of that partition when the watermark was read), so every aggregate committed
-- with or before the watermark is in the ledger once each is reached. Rows no longer needed (older
-- than a partition's newest reached one, or needing the same offsets as a newer one) are deleted
-- as new ones arrive.
CREATE TABLE usage_finality (
    metering_partition integer     NOT NULL CHECK (metering_partition >= 0),
    closed_through     timestamptz NOT NULL,
    produced_at        timestamptz NOT NULL,
    required_offsets   bigint[]    NOT NULL CHECK (array_position(required_offsets, NULL) IS NULL),
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (metering_partition, closed_through)
);

-- Whether the ledger consumer (its group, its usage-aggregates topic) has stored offsets reaching
-- every one of required: the one rule of "this watermark is effective", for every query.
CREATE FUNCTION usage_finality_reached(required bigint[], ledger_group text, aggregates_topic text)
    RETURNS boolean
    LANGUAGE sql STABLE
AS $$
    SELECT NOT EXISTS (
        SELECT 1
        FROM unnest(required) WITH ORDINALITY AS r(next_offset, position)
        LEFT JOIN billing.consumer_offsets o
               ON o.consumer_group = ledger_group
              AND o.topic = aggregates_topic
              AND o.partition = r.position - 1
        WHERE r.next_offset > coalesce(o.next_offset, 0))
$$;
