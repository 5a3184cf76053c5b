package dev.tally.platform.database;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Applies one module's Flyway migrations to its own PostgreSQL schema, with its own history
 * table, so modules sharing a database never see each other's migrations.
 */
public final class Migrations {

    private Migrations() {}

    /**
     * Migrates {@code schema} with the scripts under {@code classpath:db/<schema>}.
     *
     * @return the number of migrations applied
     */
    public static int migrate(DataSource dataSource, String schema) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .createSchemas(true)
                .locations("classpath:db/" + schema)
                .table("flyway_history")
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
