package dev.tally.billing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Column reads shared by the DAOs. */
public final class Rows {

    private Rows() {}

    /** A {@code timestamptz} column as an {@link Instant}, or null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        return instant(rs, rs.findColumn(column));
    }

    /**
     * The {@code timestamptz} column at {@code index} as an {@link Instant}, or null. Read as an
     * {@link OffsetDateTime}, which the driver parses directly, rather than as a {@code Timestamp}, whose
     * conversion goes through a {@code Calendar} per value (a measurable part of a CSV export's time).
     */
    public static Instant instant(ResultSet rs, int index) throws SQLException {
        OffsetDateTime value = rs.getObject(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
