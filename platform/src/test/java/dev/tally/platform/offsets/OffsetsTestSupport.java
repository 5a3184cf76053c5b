package dev.tally.platform.offsets;

import dev.tally.platform.database.Migrations;
import dev.tally.testkit.TestPostgres;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * A fresh database with schema {@code app} migrated as a module's would be: platform's
 * {@code consumer_offsets} (and outbox), then the test's {@code processed} table.
 */
final class OffsetsTestSupport {

    private OffsetsTestSupport() {}

    static Jdbi database() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(dataSource, "app");
        return Jdbi.create(dataSource);
    }
}
