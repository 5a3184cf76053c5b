package dev.tally.metering.topology;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.RejectedRecord;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.avro.UsageEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Meters usage events, one partition at a time: refuses duplicates, adds each new event to its
 * open window, and closes windows by wall-clock time.
 *
 * <p>A window is closed once the wall clock passes its end plus grace. The time up to which
 * windows are closed (the finality watermark) only moves forward and is kept in a store, so an
 * event is late exactly when its window ends at or before {@code max(watermark, now - grace)}: such
 * an event becomes a correction, never an addition to a window that was, or is about to be,
 * emitted. State, output and offsets commit in one transaction, so a crash replays to the same
 * totals.
 */
final class UsageMeter implements Processor<String, UsageEvent, String, SpecificRecord> {

    private static final byte[] SEEN = {1};

    private final long windowMillis;
    private final long graceMillis;
    private final Duration closeInterval;

    private ProcessorContext<String, SpecificRecord> context;
    private WindowStore<Bytes, byte[]> seenEvents;
    private KeyValueStore<Bytes, byte[]> openWindows;
    private KeyValueStore<String, Long> finality;
    private LiveUsage liveUsage;
    private MeterSensors sensors;
    private long closedThrough;

    UsageMeter(Duration windowSize, Duration grace, Duration closeInterval) {
        this.windowMillis = windowSize.toMillis();
        this.graceMillis = grace.toMillis();
        this.closeInterval = closeInterval;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.seenEvents = context.getStateStore(MeteringTopology.DEDUP_STORE);
        this.openWindows = context.getStateStore(MeteringTopology.OPEN_WINDOWS_STORE);
        this.finality = context.getStateStore(MeteringTopology.FINALITY_STORE);
        this.liveUsage = new LiveUsage(
                context.getStateStore(MeteringTopology.USAGE_BY_MINUTE_STORE),
                context.getStateStore(MeteringTopology.USAGE_BY_HOUR_STORE));
        this.sensors = new MeterSensors(context.metrics(), context.taskId().toString());
        Long stored = finality.get(MeteringTopology.FINALITY_KEY);
        this.closedThrough = stored == null ? Long.MIN_VALUE : stored;
        context.schedule(closeInterval, PunctuationType.WALL_CLOCK_TIME, this::closeDueWindows);
    }

    @Override
    public void process(Record<String, UsageEvent> record) {
        UsageEvent event = record.value();
        String problem = EventChecks.problem(event);
        if (problem != null) {
            reject(record, problem);
            return;
        }
        long now = context.currentSystemTimeMs();
        Bytes eventKey = dedupKey(event);
        if (alreadySeen(eventKey)) {
            sensors.duplicates.record();
            return;
        }
        seenEvents.put(eventKey, SEEN, now);

        Series series = Series.of(event);
        long occurredAt = event.getOccurredAt().toEpochMilli();
        liveUsage.add(series, occurredAt, event.getQuantity());
        Window window = Window.containing(occurredAt, windowMillis);
        if (window.end() <= closedAt(now)) {
            sensors.late.record();
            context.forward(
                    new Record<>(series.customerKey(), correction(event, series, window), now),
                    MeteringTopology.CORRECTIONS_SINK);
            return;
        }
        Bytes key = OpenWindowKey.of(window.end(), series);
        byte[] current = openWindows.get(key);
        WindowTotal total = current == null
                ? WindowTotal.first(window, event.getQuantity())
                : WindowTotal.fromBytes(current).add(event.getQuantity());
        openWindows.put(key, total.toBytes());
    }

    private long closedAt(long now) {
        return Math.max(closedThrough, now - graceMillis);
    }

    private boolean alreadySeen(Bytes eventKey) {
        // any remembered put counts: the store's retention is what bounds the horizon
        try (WindowStoreIterator<byte[]> seen = seenEvents.fetch(eventKey, 0L, Long.MAX_VALUE)) {
            return seen.hasNext();
        }
    }

    private void closeDueWindows(long now) {
        long through = closedAt(now);
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = openWindows.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                if (OpenWindowKey.windowEnd(entry.key) > through) {
                    break;
                }
                due.add(entry);
            }
        }
        for (KeyValue<Bytes, byte[]> entry : due) {
            Series series = OpenWindowKey.series(entry.key);
            WindowTotal total = WindowTotal.fromBytes(entry.value);
            String id = series.windowKey(total.window().start());
            context.forward(new Record<>(id, closedWindow(series, total, id), now), MeteringTopology.AGGREGATES_SINK);
            openWindows.delete(entry.key);
            sensors.closedWindows.record();
        }
        if (through > closedThrough) {
            closedThrough = through;
            finality.put(MeteringTopology.FINALITY_KEY, through);
        }
    }

    private void reject(Record<String, UsageEvent> record, String problem) {
        sensors.rejected.record();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        long now = context.currentSystemTimeMs();
        RejectedRecord rejected = Rejections.of(
                source.topic(), source.partition(), source.offset(), Rejections.INVALID, problem, key, null, now);
        context.forward(new Record<>(record.key(), rejected, now), MeteringTopology.REJECTED_SINK);
    }

    private static Bytes dedupKey(UsageEvent event) {
        String id = (event.getLivemode() ? "live|" : "test|") + event.getOrganizationId() + "|" + event.getEventId();
        return Bytes.wrap(id.getBytes(StandardCharsets.UTF_8));
    }

    private static UsageAggregate closedWindow(Series series, WindowTotal total, String id) {
        return aggregate(series, total.window(), total.quantity(), total.eventCount(), AggregateKind.WINDOW, id);
    }

    private static UsageAggregate correction(UsageEvent event, Series series, Window window) {
        String id = "correction|" + event.getOrganizationId() + "|" + event.getEventId();
        return aggregate(series, window, event.getQuantity(), 1, AggregateKind.CORRECTION, id);
    }

    private static UsageAggregate aggregate(
            Series series, Window window, BigDecimal quantity, long count, AggregateKind kind, String id) {
        return UsageAggregate.newBuilder()
                .setOrganizationId(series.organizationId())
                .setCustomerId(series.customerId())
                .setFeature(series.feature())
                .setLivemode(series.livemode())
                .setWindowStart(Instant.ofEpochMilli(window.start()))
                .setWindowEnd(Instant.ofEpochMilli(window.end()))
                .setQuantity(Decimals.quantity(quantity))
                .setEventCount(count)
                .setClosed(true)
                .setKind(kind)
                .setAggregateId(id)
                .build();
    }
}
