package dev.tally.billing.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jdbi.v3.core.result.ResultIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a cursor's rows on a thread of its own, up to {@link #AHEAD} batches ahead of the export that formats
 * them. Read in line, the two add up: the export waits while PostgreSQL produces the next fetch, and PostgreSQL
 * waits while the export formats the last one. Here the next fetch is read (and its rows mapped) while the
 * export formats, and memory stays bounded: the queue holds at most {@code AHEAD} batches.
 *
 * <p>The reader owns the cursor while it runs; {@link #close()} stops it and waits for it, so that whoever then
 * closes the cursor and its connection never does so under a read.
 */
final class RowPrefetcher<R> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RowPrefetcher.class);

    /** Batches read ahead at most: one being formatted, these waiting. */
    static final int AHEAD = 2;

    /** What the reader hands over: rows, the end, or the failure that stopped it. */
    private sealed interface Batch<R> {
        record Rows<R>(List<R> rows) implements Batch<R> {}

        record End<R>() implements Batch<R> {}

        record Failed<R>(RuntimeException cause) implements Batch<R> {}
    }

    private final BlockingQueue<Batch<R>> ready = new ArrayBlockingQueue<>(AHEAD);
    private final Thread reader;
    private boolean ended;

    /** Starts reading {@code rows} in batches of {@code batchSize} on a daemon thread named {@code name}. */
    RowPrefetcher(ResultIterator<R> rows, int batchSize, String name) {
        this.reader = Thread.ofPlatform().name(name).daemon().start(() -> read(rows, batchSize));
    }

    private void read(ResultIterator<R> rows, int batchSize) {
        try {
            while (true) {
                List<R> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && rows.hasNext()) {
                    batch.add(rows.next());
                }
                if (!batch.isEmpty()) {
                    ready.put(new Batch.Rows<>(batch));
                }
                if (batch.size() < batchSize) {
                    ready.put(new Batch.End<>());
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed: nobody takes what is left
        } catch (RuntimeException e) {
            try {
                ready.put(new Batch.Failed<>(e));
            } catch (InterruptedException closed) {
                LOG.debug("an export was closed as its cursor failed", e);
            }
        }
    }

    /**
     * The next batch of rows, in the cursor's order, waiting for the reader if it is behind; empty once the
     * cursor has ended. Throws what stopped the reader.
     */
    List<R> next() throws InterruptedException {
        if (ended) {
            return List.of();
        }
        return switch (ready.take()) {
            case Batch.Rows<R> rows -> rows.rows();
            case Batch.End<R> end -> {
                ended = true;
                yield List.of();
            }
            case Batch.Failed<R> failed -> {
                ended = true;
                throw failed.cause();
            }
        };
    }

    /**
     * Stops the reader and waits for it: at once if it waits for room in the queue; after the fetch under way
     * if it waits for the database (a blocked socket read does not answer an interrupt), at most 30 s.
     */
    @Override
    public void close() throws InterruptedException {
        reader.interrupt();
        if (!reader.join(Duration.ofSeconds(30))) {
            LOG.warn("an export's cursor reader did not stop within 30 s; its connection is closed under it");
        }
    }
}
