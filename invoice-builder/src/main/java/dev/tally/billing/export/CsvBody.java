package dev.tally.billing.export;

import java.io.IOException;
import java.io.InputStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.result.ResultIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a CSV export: the header, then one record per row of a database cursor, encoded in UTF-8 as
 * the HTTP server reads it. It pulls: rows are read only when the server asks for more bytes (when the
 * client has taken the previous ones), a chunk of about {@link #CHUNK_BYTES} bytes at a time, so memory
 * stays one chunk and one fetch of the cursor whatever the export's length. Closing it (at the end, or when
 * the client goes away) closes the cursor and ends the read-only transaction of {@code handle}.
 *
 * <p>The server reads and closes it on its blocking executor, maybe not on the thread that opened it; the
 * methods are synchronized so that a close never runs against the connection while a read is using it.
 */
final class CsvBody<R> extends InputStream {

    private static final Logger LOG = LoggerFactory.getLogger(CsvBody.class);

    /** About 64 KiB per chunk: large enough that formatting dominates, small enough to stay flat. */
    static final int CHUNK_BYTES = 64 * 1024;

    private final Handle handle;
    private final ResultIterator<R> rows;
    private final CsvTable<R> table;
    /** The chunk being read: {@code [position, chunk.length())} is left to read. */
    private final CsvBuffer chunk = new CsvBuffer(CHUNK_BYTES + 16 * 1024);

    private int position;
    private boolean closed;

    /** A body whose header is written at once; {@code rows} is a cursor of {@code handle}, which it now owns. */
    CsvBody(Handle handle, ResultIterator<R> rows, CsvTable<R> table) {
        this.handle = handle;
        this.rows = rows;
        this.table = table;
        table.header(chunk);
    }

    @Override
    public synchronized int read() throws IOException {
        return hasBytes() ? chunk.bytes()[position++] & 0xff : -1;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!hasBytes()) {
            return -1;
        }
        int count = Math.min(length, chunk.length() - position);
        System.arraycopy(chunk.bytes(), position, buffer, offset, count);
        position += count;
        return count;
    }

    /** Whether bytes are left, formatting the next chunk of rows when the current one is used up. */
    private boolean hasBytes() throws IOException {
        while (position == chunk.length()) {
            if (closed || !nextChunk()) {
                return false;
            }
        }
        return true;
    }

    private boolean nextChunk() throws IOException {
        chunk.clear();
        position = 0;
        try {
            while (chunk.length() < CHUNK_BYTES && rows.hasNext()) {
                table.row(rows.next(), chunk);
            }
        } catch (JdbiException e) {
            // the status line has gone out: the client sees the body cut short, the cause is only in the log
            LOG.error("a CSV export failed while reading its rows; the response is cut short", e);
            throw new IOException("the export could not read its rows", e);
        }
        return chunk.length() > 0;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (handle) {
            rows.close();
            handle.rollback();
        }
    }
}
