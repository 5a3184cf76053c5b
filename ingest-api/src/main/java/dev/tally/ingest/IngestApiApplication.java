package dev.tally.ingest;

import io.micronaut.runtime.Micronaut;

/** Runs ingest-api on its own, as its container image does; configured by {@code TALLY_*} environment variables. */
public final class IngestApiApplication {

    private IngestApiApplication() {}

    public static void main(String[] args) {
        Micronaut.run(IngestApiApplication.class, args);
    }
}
