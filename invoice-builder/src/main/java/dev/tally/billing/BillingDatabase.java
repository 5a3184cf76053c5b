package dev.tally.billing;

import dev.tally.platform.database.Migrations;
import dev.tally.platform.offsets.OffsetStore;
import dev.tally.platform.outbox.Outbox;
import io.micronaut.context.annotation.Context;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code billing} schema, migrated when the application starts (before any bean that uses
 * it, since they all depend on this one), with its offset store and outbox.
 */
@Context
public final class BillingDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(BillingDatabase.class);

    private final Jdbi jdbi;
    private final OffsetStore offsets = new OffsetStore(BillingSettings.SCHEMA);
    private final Outbox outbox = new Outbox(BillingSettings.SCHEMA);

    public BillingDatabase(DataSource dataSource, Jdbi jdbi) {
        int applied = Migrations.migrate(dataSource, BillingSettings.SCHEMA);
        LOG.info("schema {}: {} migrations applied", BillingSettings.SCHEMA, applied);
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
