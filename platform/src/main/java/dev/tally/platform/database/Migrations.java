package dev.tally.platform.database;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

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
        return configure(dataSource, schema).load().migrate().migrationsExecuted;
    }

    /**
     * Migrates {@code schema} like {@link #migrate(DataSource, String)}, but only up to and including
     * version {@code target}: for a test that needs the schema as it stood at that version (to seed
     * rows of an older model, then migrate the rest). A later call without a target applies the rest.
     *
     * @param target a Flyway version of this schema's scripts ({@code "2"}, {@code "0.1"}), or
     *     {@code "latest"}
     * @return the number of migrations applied
     * @throws org.flywaydb.core.api.FlywayException if no script has version {@code target}
     */
    public static int migrate(DataSource dataSource, String schema, String target) {
        return configure(dataSource, schema).target(target).load().migrate().migrationsExecuted;
    }

    private static FluentConfiguration configure(DataSource dataSource, String schema) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .createSchemas(true)
                .locations(PLATFORM_LOCATION, "classpath:db/" + schema)
                .table("flyway_history");
    }
}
