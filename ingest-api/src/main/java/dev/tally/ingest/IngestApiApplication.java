package dev.tally.ingest;

import io.micronaut.runtime.Micronaut;
import java.util.Map;

/** Runs ingest-api on its own, as its container image does; configured by {@code TALLY_*} environment variables. */
public final class IngestApiApplication {

    /**
     * Ingest inflates request bodies itself (see {@code web.RequestBody}): the server's inflater
     * passes a truncated gzip body on as if it were whole.
     */
    public static final Map<String, Object> SERVER_PROPERTIES =
            Map.of("micronaut.server.netty.request-decompression-enabled", false);

    private IngestApiApplication() {}

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(IngestApiApplication.class)
                .properties(SERVER_PROPERTIES)
                .start();
    }
}
