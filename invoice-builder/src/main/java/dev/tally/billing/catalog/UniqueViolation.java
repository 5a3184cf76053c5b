package dev.tally.billing.catalog;

import java.util.Optional;
import org.jdbi.v3.core.JdbiException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** The unique constraint a failed statement violated, as PostgreSQL names it. */
final class UniqueViolation {

    /** PostgreSQL's {@code unique_violation}. */
    private static final String SQL_STATE = "23505";

    private UniqueViolation() {}

    /** The constraint (or unique index) {@code e} violated; empty when it failed for another reason. */
    static Optional<String> constraint(JdbiException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PSQLException sql && SQL_STATE.equals(sql.getSQLState())) {
                ServerErrorMessage message = sql.getServerErrorMessage();
                return Optional.ofNullable(message == null ? null : message.getConstraint());
            }
        }
        return Optional.empty();
    }
}
