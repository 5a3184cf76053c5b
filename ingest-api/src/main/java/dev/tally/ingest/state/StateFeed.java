package dev.tally.ingest.state;

import java.util.concurrent.CompletableFuture;

/**
 * Where the in-memory state of the API (API keys, meters, organization settings) comes from, and
 * how far it has read.
 */
public interface StateFeed {

    /** Whether everything published before start-up has been read. */
    boolean isReady();

    /**
     * Completes once everything published before this call has been read (exceptionally if the
     * feed stops first).
     */
    CompletableFuture<Void> catchUp();
}
