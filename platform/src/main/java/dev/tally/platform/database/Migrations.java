package dev.tally.platform.database;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Applies one module's Flyway migrations to its own PostgreSQL schema, with its own history
 * table, so modules sharing a database never see each other's migrations.
 *
 * <p>Every schema first gets platform's own tables ({@code consumer_offsets} for the
 * {@link dev.tally.platform.offsets.OffsetStore}, {@code outbox} for the
 * {@link dev.tally.platform.outbox.Outbox}) from {@code classpath:db/platform}, whose versions
 * ({@code V0_*}) sort before the module's first one ({@code V1}).
 */
public final class Migrations {

    /** Platform's migrations, written against {@code ${flyway:defaultSchema}}: the schema migrated. */
    private static final String PLATFORM_LOCATION = "classpath:db/platform";

    private Migrations() {}

    /**
     * Migrates {@code schema} with platform's scripts, then those under {@code classpath:db/<schema>}.
     *
     * @return the number of migrations applied
     */
    public static int migrate(DataSource dataSource, String schema) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .createSchemas(true)
                .locations(PLATFORM_LOCATION, "classpath:db/" + schema)
                .table("flyway_history")
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
