package dev.tally.billing.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.result.ResultIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a CSV export: the header, then one record per row of a database cursor, encoded in UTF-8 as
 * the HTTP server reads it. It pulls: records are formatted only when the server asks for more bytes (when
 * the client has taken the previous ones), a chunk of about {@link #CHUNK_BYTES} bytes at a time, while a
 * {@link RowPrefetcher} reads the cursor a few fetches ahead at most, so memory stays one chunk and a few
 * fetches whatever the export's length. Closing it (at the end, or when the client goes away) stops the
 * reader, closes the cursor and ends the read-only transaction of {@code handle}.
 *
 * <p>The server reads and closes it on its blocking executor, maybe not on the thread that opened it; the
 * methods are synchronized so that a close never runs while a read is formatting, and the close waits for the
 * reader before it touches the connection.
 */
final class CsvBody<R> extends InputStream {

    private static final Logger LOG = LoggerFactory.getLogger(CsvBody.class);

    /** About 64 KiB per chunk: large enough that formatting dominates, small enough to stay flat. */
    static final int CHUNK_BYTES = 64 * 1024;

    private final Handle handle;
    private final ResultIterator<R> rows;
    private final RowPrefetcher<R> prefetcher;
    private final CsvTable<R> table;
    /** The chunk being read: {@code [position, chunk.length())} is left to read. */
    private final CsvBuffer chunk = new CsvBuffer(CHUNK_BYTES + 16 * 1024);

    private int position;
    /** The batch being formatted, from {@code next} on. */
    private List<R> batch = List.of();

    private int next;
    private boolean closed;

    /**
     * A body whose header is written at once; {@code rows} is a cursor of {@code handle}, which it now owns, read
     * ahead in batches of {@code batchSize} rows.
     */
    CsvBody(Handle handle, ResultIterator<R> rows, int batchSize, CsvTable<R> table) {
        this.handle = handle;
        this.rows = rows;
        this.prefetcher = new RowPrefetcher<>(rows, batchSize, "csv-export-reader");
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
            while (chunk.length() < CHUNK_BYTES) {
                if (next == batch.size()) {
                    batch = prefetcher.next();
                    next = 0;
                    if (batch.isEmpty()) {
                        break;
                    }
                }
                table.row(batch.get(next++), chunk);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the export was interrupted");
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
            prefetcher.close();
            rows.close();
            handle.rollback();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
