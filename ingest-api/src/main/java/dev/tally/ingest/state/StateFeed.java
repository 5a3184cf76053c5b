package dev.tally.ingest.auth;

import java.util.concurrent.CompletableFuture;

/** Where {@link ApiKeyCache} gets its keys from, and how far it has read. */
public interface ApiKeyFeed {

    /** Whether every key published before start-up has been read. */
    boolean isReady();

    /**
     * Completes once every key published before this call has been read (exceptionally if the
     * feed stops first).
     */
    CompletableFuture<Void> catchUp();
}
