package dev.tally.billing.export;

import java.io.InputStream;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.result.ResultIterator;

/** Opens the bodies of the two exports on a handle, which each body then owns and closes. */
public final class CsvExports {

    private CsvExports() {}

    /** The invoices export of {@code filter} ({@link ExportColumns#INVOICES}). */
    public static InputStream invoices(Handle handle, ExportFilter filter, int fetchSize) {
        return open(
                handle,
                filter,
                ExportColumns.INVOICES,
                fetchSize,
                (dao, f) -> dao.invoices(f, f.invoices(), fetchSize));
    }

    /** The invoice-lines export of {@code filter} ({@link ExportColumns#LINES}). */
    public static InputStream lines(Handle handle, ExportFilter filter, int fetchSize) {
        return open(
                handle,
                filter,
                ExportColumns.LINES,
                fetchSize,
                (dao, f) -> new LinesWithInvoices(
                        dao.lineInvoices(f, f.invoices(), fetchSize), dao.lines(f, f.invoices(), fetchSize)));
    }

    private static <R> InputStream open(
            Handle handle,
            ExportFilter filter,
            CsvTable<R> table,
            int fetchSize,
            BiFunction<InvoiceExportDao, ExportFilter, ResultIterator<R>> query) {
        // PostgreSQL's driver reads through a cursor only inside a transaction; the lines export reads two
        // cursors side by side, which must see the same invoices: one snapshot for the whole transaction
        handle.begin();
        handle.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        return new CsvBody<>(handle, query.apply(handle.attach(InvoiceExportDao.class), filter), fetchSize, table);
    }
}
