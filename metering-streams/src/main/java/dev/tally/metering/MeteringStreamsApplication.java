package dev.tally.metering;

import io.micronaut.runtime.Micronaut;

/** Runs metering-streams on its own, as its container image does; configured by {@code TALLY_*} environment variables. */
public final class MeteringStreamsApplication {

    private MeteringStreamsApplication() {}

    public static void main(String[] args) {
        Micronaut.run(MeteringStreamsApplication.class, args);
    }
}
