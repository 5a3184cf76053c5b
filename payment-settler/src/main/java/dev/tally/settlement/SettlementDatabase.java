package dev.tally.settlement;

import dev.tally.platform.database.OwnedSchema;
import io.micronaut.context.annotation.Context;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code settlement} schema, migrated when the application starts (before any bean that uses
 * it, since they all depend on this one), with its offset store and outbox.
 */
@Context
public final class SettlementDatabase extends OwnedSchema {

    public SettlementDatabase(DataSource dataSource, Jdbi jdbi) {
        super(dataSource, jdbi, SettlementSettings.SCHEMA);
    }
}
