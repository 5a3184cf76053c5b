-- The meter catalog: how each feature's events become usage. Published (MeterDefinition) to the
-- compacted meters topic through the outbox on every create and archive.
CREATE TABLE meters (
    id              text        PRIMARY KEY,
    organization_id text        NOT NULL REFERENCES organizations (id),
    livemode        boolean     NOT NULL,
    feature_key     text        NOT NULL,
    aggregation     text        NOT NULL
        CHECK (aggregation IN ('sum', 'count', 'min', 'max', 'latest', 'unique_count')),
    value_property  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz,
    -- unique_count counts the distinct values of a property; count reads no value at all
    CHECK (aggregation <> 'unique_count' OR value_property IS NOT NULL),
    CHECK (aggregation <> 'count' OR value_property IS NULL)
);

-- At most one active meter per organization, mode and feature; archived ones stay for the record.
CREATE UNIQUE INDEX meters_one_active_per_feature ON meters (organization_id, livemode, feature_key)
    WHERE archived_at IS NULL;
CREATE INDEX meters_organization ON meters (organization_id, livemode, created_at);
