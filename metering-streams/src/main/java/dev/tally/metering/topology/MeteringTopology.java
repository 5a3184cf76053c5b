package dev.tally.metering.topology;

import dev.tally.metering.MeteringSettings;
import dev.tally.schemas.topic.Topic;
import dev.tally.schemas.topic.Topics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The metering topology, as a pure factory: usage-events in (and the meters, as a global store);
 * closed windows to usage-aggregates, restatements of closed windows to usage-corrections,
 * records that cannot be metered to usage-rejected (and, for their clients to read, to the
 * rejected-events store), each partition's finality watermark to usage-finality.
 *
 * <p>Windows close by wall-clock time, not by stream time: stream time only moves when records
 * arrive, so on an idle partition Streams' own suppression would hold the last windows back forever
 * and billing would wait for them.
 */
public final class MeteringTopology {

    /**
     * Events seen within the dedup horizon, with what a retraction needs (RocksDB window store,
     * retention = horizon).
     */
    public static final String DEDUP_STORE = "metering-dedup";

    /** Totals of the windows not closed yet (RocksDB, keyed by window end then series). */
    public static final String OPEN_WINDOWS_STORE = "metering-open-windows";

    /**
     * State and revision of closed windows, to restate them (RocksDB window store, retention = the
     * correction horizon).
     */
    public static final String CLOSED_WINDOWS_STORE = "metering-closed-windows";

    /**
     * The entries of windows whose aggregation keeps more than a number (MIN, MAX, LATEST,
     * UNIQUE_COUNT): billing windows, live minutes and hours; one store entry per value, event or
     * distinct value (RocksDB, keyed by scope, window start, series, entry; see WindowEntries).
     */
    public static final String WINDOW_ENTRIES_STORE = "metering-window-entries";

    /** The finality watermark of each partition: windows ending at or before it are closed. */
    public static final String FINALITY_STORE = "metering-finality";

    /** The key of the finality watermark (epoch millis) in {@link #FINALITY_STORE}. */
    public static final String FINALITY_KEY = "closed-through";

    /** Usage per series in minute windows, final or not, for the live query (RocksDB window store). */
    public static final String USAGE_BY_MINUTE_STORE = "metering-usage-minute";

    /** Usage per series in hour windows, final or not, for the live query (RocksDB window store). */
    public static final String USAGE_BY_HOUR_STORE = "metering-usage-hour";

    /**
     * Events sent to usage-rejected by the processor, per organization, mode and customer, for the
     * client to read back (RocksDB window store by rejection time, retention = dedup horizon).
     */
    public static final String REJECTED_EVENTS_STORE = "metering-rejected-events";

    /** API keys by hash, from the compacted api-keys topic, on every instance (global store). */
    public static final String API_KEYS_STORE = "metering-api-keys";

    /** Meter definitions by Keys.meter, from the compacted meters topic, on every instance (global store). */
    public static final String METERS_STORE = "metering-meters";

    /** Minute windows are for the live view: kept two days at most, whatever the hour retention. */
    static final Duration MINUTE_RETENTION_LIMIT = Duration.ofDays(2);

    static final String SOURCE = "usage-events-source";
    static final String METER = "usage-meter";
    static final String AGGREGATES_SINK = "usage-aggregates-sink";
    static final String CORRECTIONS_SINK = "usage-corrections-sink";
    static final String REJECTED_SINK = "usage-rejected-sink";
    static final String FINALITY_SINK = "usage-finality-sink";

    private MeteringTopology() {}

    /** The topology for these topics and settings. */
    public static Topology build(Topics topics, MeteringSettings settings) {
        Topology topology = new Topology();
        Topic<String, ?> events = topics.usageEvents();
        topology.addSource(
                SOURCE,
                events.keySerde().deserializer(),
                topics.usageEvents().valueSerde().deserializer(),
                events.name());
        topology.addProcessor(METER, () -> new UsageMeter(settings), SOURCE);
        topology.addStateStore(
                Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(DEDUP_STORE, settings.dedupHorizon(), Duration.ofMillis(1), false),
                        Serdes.Bytes(),
                        Serdes.ByteArray()),
                METER);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(OPEN_WINDOWS_STORE), Serdes.Bytes(), Serdes.ByteArray())
                        // the cache folds many updates of a hot window into one RocksDB and changelog write
                        .withCachingEnabled(),
                METER);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(WINDOW_ENTRIES_STORE),
                                Serdes.Bytes(),
                                Serdes.ByteArray())
                        .withCachingEnabled(),
                METER);
        topology.addStateStore(
                Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(
                                CLOSED_WINDOWS_STORE, settings.correctionHorizon(), settings.windowSize(), false),
                        Serdes.Bytes(),
                        Serdes.ByteArray()),
                METER);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(FINALITY_STORE), Serdes.String(), Serdes.Long()),
                METER);
        topology.addStateStore(
                liveStore(USAGE_BY_MINUTE_STORE, Duration.ofMinutes(1), minuteRetention(settings)), METER);
        topology.addStateStore(liveStore(USAGE_BY_HOUR_STORE, Duration.ofHours(1), settings.liveRetention()), METER);
        topology.addStateStore(
                Stores.windowStoreBuilder(
                        // duplicates kept: one customer's rejections may share a millisecond
                        Stores.persistentWindowStore(
                                REJECTED_EVENTS_STORE, settings.dedupHorizon(), Duration.ofMillis(1), true),
                        Serdes.String(),
                        Serdes.ByteArray()),
                METER);
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(API_KEYS_STORE),
                                Serdes.String(),
                                topics.apiKeys().valueSerde())
                        // the compacted source topic is the store's changelog
                        .withLoggingDisabled(),
                "api-keys-source",
                topics.apiKeys().keySerde().deserializer(),
                topics.apiKeys().valueSerde().deserializer(),
                topics.apiKeys().name(),
                "api-keys-loader",
                ApiKeyLoader::new);
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(METERS_STORE),
                                Serdes.String(),
                                topics.meters().valueSerde())
                        .withLoggingDisabled(),
                "meters-source",
                topics.meters().keySerde().deserializer(),
                topics.meters().valueSerde().deserializer(),
                topics.meters().name(),
                "meters-loader",
                MeterLoader::new);
        sink(topology, AGGREGATES_SINK, topics.usageAggregates());
        sink(topology, CORRECTIONS_SINK, topics.usageCorrections());
        sink(topology, REJECTED_SINK, topics.usageRejected());
        sink(topology, FINALITY_SINK, topics.usageFinality());
        return topology;
    }

    /** How long live minutes are kept: the live retention, two days at most. */
    static Duration minuteRetention(MeteringSettings settings) {
        return min(settings.liveRetention(), MINUTE_RETENTION_LIMIT);
    }

    private static StoreBuilder<WindowStore<String, byte[]>> liveStore(String name, Duration size, Duration retention) {
        // retention must cover at least one window
        Duration kept = retention.compareTo(size) < 0 ? size : retention;
        return Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(name, kept, size, false), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static <V> void sink(Topology topology, String name, Topic<String, V> topic) {
        topology.addSink(
                name,
                topic.name(),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer(),
                METER);
    }
}
