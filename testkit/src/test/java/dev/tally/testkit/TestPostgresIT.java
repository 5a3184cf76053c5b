package dev.tally.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testkit.TestPostgres.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestPostgresIT {

    @Test
    void shouldRunQueriesOnACreatedDatabase() throws SQLException {
        Database database = TestPostgres.shared().createDatabase();

        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE amounts (cents BIGINT NOT NULL)");
            statement.execute("INSERT INTO amounts VALUES (150), (250)");
            try (ResultSet sum = statement.executeQuery("SELECT sum(cents), current_database() FROM amounts")) {
                assertThat(sum.next()).isTrue();
                assertThat(sum.getLong(1)).isEqualTo(400);
                assertThat(database.jdbcUrl()).endsWith("/" + sum.getString(2));
            }
        }
    }

    @Test
    void shouldGiveEachCallAFreshEmptyDatabase() throws SQLException {
        Database first = TestPostgres.shared().createDatabase();
        Database second = TestPostgres.shared().createDatabase();
        try (Connection connection = first.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE only_in_first (id INT)");
        }

        assertThat(second.jdbcUrl()).isNotEqualTo(first.jdbcUrl());
        try (Connection connection = second.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet tables = statement.executeQuery(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            tables.next();
            assertThat(tables.getInt(1)).isZero();
        }
    }
}
