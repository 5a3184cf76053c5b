package dev.tally.billing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Column reads shared by the DAOs. */
public final class Rows {

    private Rows() {}

    /** A {@code timestamptz} column as an {@link Instant}, or null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
