-- The platform tables every module's schema gets (see dev.tally.platform.database.Migrations),
-- before the module's own V1.

-- platform OffsetStore
CREATE TABLE ${flyway:defaultSchema}.consumer_offsets (
    consumer_group text   NOT NULL,
    topic          text   NOT NULL,
    partition      int    NOT NULL,
    next_offset    bigint NOT NULL CHECK (next_offset >= 0),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);

-- platform Outbox
CREATE TABLE ${flyway:defaultSchema}.outbox (
    id           bigserial   PRIMARY KEY,
    topic        text        NOT NULL,
    record_key   text,
    payload      bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_unpublished ON ${flyway:defaultSchema}.outbox (id) WHERE published_at IS NULL;
