package dev.tally.billing;

import dev.tally.platform.database.OwnedSchema;
import io.micronaut.context.annotation.Context;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code billing} schema, migrated when the application starts (before any bean that uses
 * it, since they all depend on this one), with its offset store and outbox.
 */
@Context
public final class BillingDatabase extends OwnedSchema {

    public BillingDatabase(DataSource dataSource, Jdbi jdbi) {
        super(dataSource, jdbi, BillingSettings.SCHEMA);
    }
}
