package dev.tally.metering.topology;

import dev.tally.metering.MeteringSettings;
import dev.tally.metering.StreamsProperties;
import dev.tally.platform.kafka.KafkaSettings;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.MeterDefinition;
import dev.tally.schemas.avro.RejectedRecord;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.avro.UsageFinality;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The metering topology in a {@link TopologyTestDriver} with the application's own Streams
 * properties and real Avro serdes: events in, the output topics out, a wall clock to move.
 */
final class MeteringDriver implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, UsageEvent> events;
    private final TestInputTopic<byte[], byte[]> rawEvents;
    private final TestInputTopic<String, MeterDefinition> meters;
    private final TestOutputTopic<String, UsageAggregate> aggregates;
    private final TestOutputTopic<String, UsageAggregate> corrections;
    private final TestOutputTopic<String, RejectedRecord> rejected;
    private final TestOutputTopic<String, UsageFinality> finality;
    private final Topics topics;
    private Instant now = START;

    /** The topology with the application's own properties (exactly_once_v2). */
    MeteringDriver(MeteringSettings settings) {
        this(settings, StreamsConfig.EXACTLY_ONCE_V2);
    }

    /**
     * The topology under another processing guarantee. Only for dead letters: the test driver
     * clears its producer's open transaction after a record that was skipped before processing,
     * so under exactly-once it loses what the deserialization handler sent (a real broker commits
     * it with the task's next transaction, as MeteringStreamsIT shows).
     */
    MeteringDriver(MeteringSettings settings, String processingGuarantee) {
        this.topics = Topics.create("", SchemaRegistryServer.shared().client());
        Properties props = StreamsProperties.of(settings, kafkaSettings(), topics);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        try {
            props.put(
                    StreamsConfig.STATE_DIR_CONFIG,
                    Files.createTempDirectory("metering-ttd").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.driver = new TopologyTestDriver(MeteringTopology.build(topics, settings), props, START);
        this.events = driver.createInputTopic(
                topics.usageEvents().name(),
                topics.usageEvents().keySerde().serializer(),
                topics.usageEvents().valueSerde().serializer());
        this.rawEvents = driver.createInputTopic(
                topics.usageEvents().name(), new ByteArraySerializer(), new ByteArraySerializer());
        this.meters = driver.createInputTopic(
                topics.meters().name(),
                topics.meters().keySerde().serializer(),
                topics.meters().valueSerde().serializer());
        this.aggregates = driver.createOutputTopic(
                topics.usageAggregates().name(),
                topics.usageAggregates().keySerde().deserializer(),
                topics.usageAggregates().valueSerde().deserializer());
        this.corrections = driver.createOutputTopic(
                topics.usageCorrections().name(),
                topics.usageCorrections().keySerde().deserializer(),
                topics.usageCorrections().valueSerde().deserializer());
        this.rejected = driver.createOutputTopic(
                topics.usageRejected().name(),
                topics.usageRejected().keySerde().deserializer(),
                topics.usageRejected().valueSerde().deserializer());
        this.finality = driver.createOutputTopic(
                topics.usageFinality().name(),
                topics.usageFinality().keySerde().deserializer(),
                topics.usageFinality().valueSerde().deserializer());
    }

    private static KafkaSettings kafkaSettings() {
        return new KafkaSettings("localhost:9092", "http://localhost:8081", "", 1, (short) 1, false);
    }

    static UsageEvent event(String eventId, String customer, String feature, String quantity, Instant occurredAt) {
        return event(eventId, "org_1", true, customer, feature, quantity, occurredAt);
    }

    static UsageEvent event(
            String eventId,
            String org,
            boolean livemode,
            String customer,
            String feature,
            String quantity,
            Instant occurredAt) {
        return UsageEvent.newBuilder()
                .setEventId(eventId)
                .setOrganizationId(org)
                .setCustomerId(customer)
                .setFeature(feature)
                .setQuantity(new BigDecimal(quantity).setScale(9))
                .setOccurredAt(occurredAt)
                .setReceivedAt(occurredAt)
                .setProperties(Map.of())
                .setLivemode(livemode)
                .build();
    }

    /** {@code event} with properties. */
    static UsageEvent event(
            String eventId, String customer, String feature, Instant occurredAt, Map<String, String> properties) {
        UsageEvent event = event(eventId, customer, feature, "1", occurredAt);
        event.setProperties(properties);
        return event;
    }

    /** A retraction of {@code target} by org_1's customer. */
    static UsageEvent retraction(String eventId, String customer, String feature, String target) {
        UsageEvent event = event(eventId, customer, feature, "0", START);
        event.setRetracts(target);
        return event;
    }

    /** Publishes org_1's live meter of {@code feature} (an active one unless {@code archived}). */
    void meter(String feature, Aggregation aggregation, String valueProperty, boolean archived) {
        MeterDefinition meter = MeterDefinition.newBuilder()
                .setMeterId("mtr_" + feature)
                .setOrganizationId("org_1")
                .setLivemode(true)
                .setFeature(feature)
                .setAggregation(aggregation)
                .setValueProperty(valueProperty)
                .setCreatedAt(now)
                .setArchivedAt(archived ? now : null)
                .setUpdatedAt(now)
                .build();
        meters.pipeInput(Keys.meter("org_1", true, feature), meter, now);
    }

    /** The driver's wall clock. */
    Instant now() {
        return now;
    }

    /** A window store, as interactive queries see it. */
    ReadOnlyWindowStore<String, byte[]> windowStore(String name) {
        return driver.getWindowStore(name);
    }

    /** A live store as the query API reads it, distinct values included. */
    LiveUsageStores.Source liveStore(String name) {
        ReadOnlyWindowStore<String, byte[]> windows = driver.getWindowStore(name);
        ReadOnlyKeyValueStore<Bytes, byte[]> entries = driver.getKeyValueStore(MeteringTopology.WINDOW_ENTRIES_STORE);
        return new LiveUsageStores.Source(windows, entries, name.equals(MeteringTopology.USAGE_BY_HOUR_STORE), true);
    }

    /** The stored headers of the open windows, as bytes. */
    List<byte[]> openWindowBytes() {
        KeyValueStore<Bytes, byte[]> open = driver.getKeyValueStore(MeteringTopology.OPEN_WINDOWS_STORE);
        List<byte[]> headers = new java.util.ArrayList<>();
        try (var all = open.all()) {
            all.forEachRemaining(kv -> headers.add(kv.value));
        }
        return headers;
    }

    /** How many entries the window-entries store holds. */
    long windowEntries() {
        KeyValueStore<Bytes, byte[]> entries = driver.getKeyValueStore(MeteringTopology.WINDOW_ENTRIES_STORE);
        long count = 0;
        try (var all = entries.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    /** The finality watermark of the (single) partition, or null before any close. */
    Long finalThrough() {
        KeyValueStore<String, Long> finality = driver.getKeyValueStore(MeteringTopology.FINALITY_STORE);
        return finality.get(MeteringTopology.FINALITY_KEY);
    }

    /** The total of a metering sensor, summed over tasks. */
    double meterTotal(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name + "-total")
                        && e.getKey().group().equals("stream-tally-metering-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    Topics topics() {
        return topics;
    }

    void send(UsageEvent event) {
        events.pipeInput(Keys.customer(event.getOrganizationId(), event.getCustomerId()), event, now);
    }

    void sendRaw(byte[] key, byte[] value) {
        rawEvents.pipeInput(key, value);
    }

    void advance(Duration wallClock) {
        now = now.plus(wallClock);
        driver.advanceWallClockTime(wallClock);
    }

    List<KeyValue<String, UsageAggregate>> aggregates() {
        return aggregates.readKeyValuesToList();
    }

    List<KeyValue<String, UsageAggregate>> corrections() {
        return corrections.readKeyValuesToList();
    }

    List<KeyValue<String, RejectedRecord>> rejected() {
        return rejected.readKeyValuesToList();
    }

    /** The records on usage-finality since the last call. */
    List<KeyValue<String, UsageFinality>> finalityRecords() {
        return finality.readKeyValuesToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
