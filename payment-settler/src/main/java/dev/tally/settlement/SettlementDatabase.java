package dev.tally.settlement;

import dev.tally.platform.database.Migrations;
import dev.tally.platform.offsets.OffsetStore;
import dev.tally.platform.outbox.Outbox;
import io.micronaut.context.annotation.Context;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code settlement} schema, migrated when the application starts (before any bean that uses
 * it, since they all depend on this one), with its offset store and outbox.
 */
@Context
public final class SettlementDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementDatabase.class);

    private final Jdbi jdbi;
    private final OffsetStore offsets = new OffsetStore(SettlementSettings.SCHEMA);
    private final Outbox outbox = new Outbox(SettlementSettings.SCHEMA);

    public SettlementDatabase(DataSource dataSource, Jdbi jdbi) {
        int applied = Migrations.migrate(dataSource, SettlementSettings.SCHEMA);
        LOG.info("schema {}: {} migrations applied", SettlementSettings.SCHEMA, applied);
        this.jdbi = jdbi;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public OffsetStore offsets() {
        return offsets;
    }

    public Outbox outbox() {
        return outbox;
    }
}
