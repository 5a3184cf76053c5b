package dev.tally.platform.offsets;

import dev.tally.testkit.TestPostgres;
import org.jdbi.v3.core.Jdbi;

/** A fresh database with the offsets table (the DDL documented on {@link OffsetStore}) in schema {@code app}. */
final class OffsetsTestSupport {

    private OffsetsTestSupport() {}

    static Jdbi database() {
        Jdbi jdbi = Jdbi.create(TestPostgres.shared().createDatabase().dataSource());
        jdbi.useHandle(handle -> handle.execute("""
                CREATE SCHEMA app;
                CREATE TABLE app.consumer_offsets (
                    consumer_group text   NOT NULL,
                    topic          text   NOT NULL,
                    partition      int    NOT NULL,
                    next_offset    bigint NOT NULL CHECK (next_offset >= 0),
                    updated_at     timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (consumer_group, topic, partition)
                );
                CREATE TABLE app.processed (
                    topic     text   NOT NULL,
                    partition int    NOT NULL,
                    record_offset bigint NOT NULL,
                    value     text   NOT NULL
                );
                """));
        return jdbi;
    }
}
