package dev.tally.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.testkit.TestPostgres;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class MigrationsIT {

    private final DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
    private final Jdbi jdbi = Jdbi.create(dataSource);

    @Test
    void shouldGiveEverySchemaSharingADatabaseItsOwnPlatformTablesBeforeItsOwnMigrations() {
        assertThat(Migrations.migrate(dataSource, "app")).isEqualTo(2);
        assertThat(Migrations.migrate(dataSource, "second")).isEqualTo(2);

        assertThat(tables("app"))
                .containsExactlyInAnyOrder("consumer_offsets", "outbox", "processed", "flyway_history");
        assertThat(tables("second"))
                .containsExactlyInAnyOrder("consumer_offsets", "outbox", "things", "flyway_history");
        assertThat(history("second")).containsExactly("0.1", "1");
    }

    @Test
    void shouldApplyNothingTheSecondTime() {
        Migrations.migrate(dataSource, "app");

        assertThat(Migrations.migrate(dataSource, "app")).isZero();
    }

    @Test
    void shouldStopAtTheTargetVersionAndApplyTheRestOnTheNextCall() {
        assertThat(Migrations.migrate(dataSource, "app", "0.1")).isEqualTo(1);

        assertThat(tables("app")).containsExactlyInAnyOrder("consumer_offsets", "outbox", "flyway_history");
        assertThat(history("app")).containsExactly("0.1");
        assertThat(Migrations.migrate(dataSource, "app")).isEqualTo(1);
        assertThat(history("app")).containsExactly("0.1", "1");
    }

    @Test
    void shouldRefuseATargetVersionNoScriptHas() {
        assertThatThrownBy(() -> Migrations.migrate(dataSource, "app", "7")).hasMessageContaining("7");

        assertThat(tables("app")).doesNotContain("processed");
    }

    private List<String> tables(String schema) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = :s")
                        .bind("s", schema)
                        .mapTo(String.class)
                        .list());
    }

    private List<String> history(String schema) {
        return jdbi.withHandle(h -> h.createQuery("SELECT version FROM " + schema
                        + ".flyway_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")
                .mapTo(String.class)
                .list());
    }
}
