package dev.tally.metering;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the metering topology runs. Set with {@code tally.metering.*} properties (durations as ISO-8601,
 * e.g. {@code PT1H}, or Micronaut's short form, e.g. {@code 10m}). Invalid values stop the start-up.
 *
 * @param applicationId Kafka Streams application id: the consumer group and the prefix of internal topics
 * @param windowSize size of the tumbling windows usage is summed in (billing granularity)
 * @param grace how long after its end a window still accepts events, by wall-clock time
 * @param dedupHorizon how long an event id is remembered to refuse its duplicates
 * @param closeInterval how often the wall clock is checked for windows to close
 * @param numStreamThreads stream threads of this instance (one per core is the measured optimum)
 * @param commitInterval how often Streams commits its transaction (longer: cheaper, later output)
 * @param stateDir directory of the RocksDB state; empty means {@code <java.io.tmpdir>/tally-metering}
 * @param rocksdbMemoryBytes off-heap memory all RocksDB stores of this instance share (block cache
 *     and memtables together); the bound SREs size instances by
 * @param cacheMaxBytes on-heap record cache of Streams, shared by all threads
 * @param liveRetention how long the live-usage stores keep hour windows for queries (minutes: two
 *     days at most)
 * @param advertisedEndpoint {@code host:port} where other instances reach this one's HTTP API (the
 *     Streams {@code application.server}); empty for a single instance
 * @param numStandbyReplicas warm copies of each partition's state on other instances, for fast
 *     failover
 * @param sessionTimeout how long the group waits for a silent instance before moving its partitions
 */
@ConfigurationProperties("tally.metering")
public record MeteringSettings(
        @Bindable(defaultValue = "tally-metering") @NotBlank String applicationId,
        @Bindable(defaultValue = "PT1H") Duration windowSize,
        @Bindable(defaultValue = "PT10M") Duration grace,
        @Bindable(defaultValue = "P35D") Duration dedupHorizon,
        @Bindable(defaultValue = "PT1S") Duration closeInterval,
        @Bindable(defaultValue = "1") @Min(1) int numStreamThreads,
        @Bindable(defaultValue = "PT1S") Duration commitInterval,
        @Bindable(defaultValue = "") String stateDir,
        @Bindable(defaultValue = "67108864") long rocksdbMemoryBytes,
        @Bindable(defaultValue = "10485760") long cacheMaxBytes,
        @Bindable(defaultValue = "P40D") Duration liveRetention,
        @Bindable(defaultValue = "") String advertisedEndpoint,
        @Bindable(defaultValue = "0") @Min(0) int numStandbyReplicas,
        @Bindable(defaultValue = "PT45S") Duration sessionTimeout) {

    public MeteringSettings {
        requirePositive("window-size", windowSize);
        requirePositive("close-interval", closeInterval);
        requirePositive("commit-interval", commitInterval);
        requirePositive("dedup-horizon", dedupHorizon);
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("tally.metering.grace must be zero or positive, was " + grace);
        }
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("tally.metering.application-id must not be blank");
        }
        if (numStreamThreads < 1) {
            throw new IllegalArgumentException("tally.metering.num-stream-threads must be at least 1");
        }
        if (dedupHorizon.compareTo(windowSize.plus(grace)) < 0) {
            // a duplicate could otherwise be forgotten while its window is still open and be counted twice
            throw new IllegalArgumentException("tally.metering.dedup-horizon (" + dedupHorizon
                    + ") must be at least window-size + grace (" + windowSize.plus(grace) + ")");
        }
        if (rocksdbMemoryBytes < 8L << 20) {
            throw new IllegalArgumentException("tally.metering.rocksdb-memory-bytes must be at least 8 MiB");
        }
        if (cacheMaxBytes < 0) {
            throw new IllegalArgumentException("tally.metering.cache-max-bytes must be zero or positive");
        }
        requirePositive("live-retention", liveRetention);
        requirePositive("session-timeout", sessionTimeout);
        if (numStandbyReplicas < 0) {
            throw new IllegalArgumentException("tally.metering.num-standby-replicas must be zero or positive");
        }
        if (liveRetention.compareTo(windowSize.plus(grace)) < 0) {
            throw new IllegalArgumentException("tally.metering.live-retention must be at least window-size + grace");
        }
        stateDir = stateDir == null ? "" : stateDir;
        advertisedEndpoint = advertisedEndpoint == null ? "" : advertisedEndpoint.trim();
        if (!advertisedEndpoint.isEmpty() && !advertisedEndpoint.matches("[^:/\\s]+:\\d{1,5}")) {
            throw new IllegalArgumentException(
                    "tally.metering.advertised-endpoint must be host:port, was " + advertisedEndpoint);
        }
    }

    /** Settings with every default, for tests and tools. */
    public static MeteringSettings defaults() {
        return new MeteringSettings(
                "tally-metering",
                Duration.ofHours(1),
                Duration.ofMinutes(10),
                Duration.ofDays(35),
                Duration.ofSeconds(1),
                1,
                Duration.ofSeconds(1),
                "",
                64L << 20,
                10L << 20,
                Duration.ofDays(40),
                "",
                0,
                Duration.ofSeconds(45));
    }

    /** A copy with other window size and grace. */
    public MeteringSettings withWindows(Duration size, Duration newGrace) {
        return new MeteringSettings(
                applicationId,
                size,
                newGrace,
                dedupHorizon,
                closeInterval,
                numStreamThreads,
                commitInterval,
                stateDir,
                rocksdbMemoryBytes,
                cacheMaxBytes,
                liveRetention,
                advertisedEndpoint,
                numStandbyReplicas,
                sessionTimeout);
    }

    /**
     * How far back a closed window can still be restated: the dedup horizon (the oldest event a
     * retraction or a backdated event can concern) plus a window and its grace. Older events are
     * rejected as {@code beyond_correction_horizon}.
     */
    public Duration correctionHorizon() {
        return dedupHorizon.plus(windowSize).plus(grace);
    }

    /** The RocksDB state directory, resolved. */
    public Path stateDirectory() {
        return stateDir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "tally-metering") : Path.of(stateDir);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("tally.metering." + name + " must be positive, was " + value);
        }
    }
}
