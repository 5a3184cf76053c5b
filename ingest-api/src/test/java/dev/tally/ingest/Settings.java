package dev.tally.ingest;

import java.time.Duration;

/** The default settings, for unit tests that build classes by hand. */
public final class Settings {

    private Settings() {}

    public static IngestSettings defaults() {
        return new IngestSettings(
                "tally-ingest",
                Duration.ofDays(35),
                Duration.ofMinutes(5),
                128,
                50,
                64,
                512,
                32L << 20,
                Duration.ofSeconds(20),
                Duration.ofMillis(200),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                10_000,
                5 << 20,
                1000,
                0,
                1,
                Duration.ofMillis(1),
                "lz4",
                Duration.ofSeconds(5));
    }
}
