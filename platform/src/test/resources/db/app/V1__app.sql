-- The test module's own table: what a consumer under test applied, next to its offsets.
CREATE TABLE processed (
    topic         text   NOT NULL,
    partition     int    NOT NULL,
    record_offset bigint NOT NULL,
    value         text   NOT NULL
);
