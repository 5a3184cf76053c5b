package dev.tally.billing.invoice;

import dev.tally.billing.ledger.UsageIncompleteException;
import java.sql.SQLException;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One customer's part of a period close, run inside a savepoint of the close's transaction: when
 * an amount or quantity does not fit the money types, or its UNIQUE_COUNT usage is not complete
 * yet, everything written for this customer is rolled back, its usage stays un-billed, the failure
 * is recorded with its reason ({@link CloseFailure}), and the close goes on with the other
 * customers. A success clears an earlier failure of the customer in the period.
 */
final class CustomerUnit {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerUnit.class);
    private static final String SAVEPOINT = "customer_close";

    private CustomerUnit() {}

    /**
     * Runs {@code billing}, which returns the next invoice number; after a failure the number is
     * {@code nextNumber} again.
     */
    static long run(
            Handle handle,
            String organizationId,
            long periodId,
            String customerExternalId,
            long nextNumber,
            LongSupplier billing) {
        CloseFailureDao failures = handle.attach(CloseFailureDao.class);
        handle.savepoint(SAVEPOINT);
        String code;
        String message;
        try {
            long next = billing.getAsLong();
            failures.clear(periodId, customerExternalId);
            handle.releaseSavepoint(SAVEPOINT);
            return next;
        } catch (AmountTooLargeException e) {
            code = CloseFailure.AMOUNT_TOO_LARGE;
            message = e.getMessage();
        } catch (UsageIncompleteException e) {
            code = CloseFailure.USAGE_INCOMPLETE;
            message = e.getMessage();
        } catch (JdbiException e) {
            if (!isNumericOverflow(e)) {
                throw e;
            }
            code = CloseFailure.QUANTITY_TOO_LARGE;
            message = "a line's quantity does not fit numeric(38, 9)";
        }
        handle.rollbackToSavepoint(SAVEPOINT); // JDBI forgets the savepoint with it
        failures.record(periodId, customerExternalId, code, message);
        LOG.warn(
                "period {} of organization {}: customer {} not invoiced ({}: {})",
                periodId,
                organizationId,
                customerExternalId,
                code,
                message);
        return nextNumber;
    }

    /** PostgreSQL's {@code numeric_value_out_of_range}: a value too large for its column. */
    private static boolean isNumericOverflow(JdbiException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "22003".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
