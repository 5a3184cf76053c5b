package dev.tally.metering.topology;

import dev.tally.metering.MeteringSettings;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.RejectedRecord;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.avro.UsageFinality;
import dev.tally.schemas.topic.Keys;
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

/**
 * Meters usage events, one partition at a time: refuses duplicates, adds each new event to its
 * window under the window's aggregation, takes retracted events back out, closes windows by
 * wall-clock time and restates closed windows that change.
 *
 * <p>A window is closed once the wall clock passes its end plus grace. The time up to which
 * windows are closed (the finality watermark) only moves forward and is kept in a store, so an
 * event is late exactly when its window ends at or before {@code max(watermark, now - grace)}.
 * A closed window is stated once (revision 0 on usage-aggregates) and kept for the correction
 * horizon; a late event or a retraction that changes it restates it on usage-corrections with the
 * next revision: its quantity whole, its distinct values as what changed. State, output and
 * offsets commit in one transaction, so a crash replays to the same statements. Each advance of
 * the watermark is published on usage-finality in the transaction of the windows it closes.
 */
final class UsageMeter implements Processor<String, UsageEvent, String, SpecificRecord> {

    private final long windowMillis;
    private final long graceMillis;
    private final long correctionHorizonMillis;
    private final Duration closeInterval;
    private final EntryRetention entryRetention;

    private ProcessorContext<String, SpecificRecord> context;
    private SeenEvents seenEvents;
    private KeyValueStore<Bytes, byte[]> openWindows;
    private WindowEntries entries;
    private ClosedWindows closedWindows;
    private KeyValueStore<String, Long> finality;
    private Meters meters;
    private LiveUsage liveUsage;
    private MeterSensors sensors;
    private RejectedEvents rejectedEvents;
    private long closedThrough;

    UsageMeter(MeteringSettings settings) {
        this.windowMillis = settings.windowSize().toMillis();
        this.graceMillis = settings.grace().toMillis();
        this.correctionHorizonMillis = settings.correctionHorizon().toMillis();
        this.closeInterval = settings.closeInterval();
        this.entryRetention = EntryRetention.of(settings);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.seenEvents = new SeenEvents(context.getStateStore(MeteringTopology.DEDUP_STORE));
        this.openWindows = context.getStateStore(MeteringTopology.OPEN_WINDOWS_STORE);
        this.closedWindows = new ClosedWindows(context.getStateStore(MeteringTopology.CLOSED_WINDOWS_STORE));
        this.finality = context.getStateStore(MeteringTopology.FINALITY_STORE);
        this.meters = new Meters(context.getStateStore(MeteringTopology.METERS_STORE));
        this.entries = new WindowEntries(context.getStateStore(MeteringTopology.WINDOW_ENTRIES_STORE));
        this.liveUsage = new LiveUsage(
                context.getStateStore(MeteringTopology.USAGE_BY_MINUTE_STORE),
                context.getStateStore(MeteringTopology.USAGE_BY_HOUR_STORE),
                entries);
        this.sensors = new MeterSensors(context.metrics(), context.taskId().toString());
        this.rejectedEvents = new RejectedEvents(context.getStateStore(MeteringTopology.REJECTED_EVENTS_STORE));
        Long stored = finality.get(MeteringTopology.FINALITY_KEY);
        this.closedThrough = stored == null ? Long.MIN_VALUE : stored;
        context.schedule(closeInterval, PunctuationType.WALL_CLOCK_TIME, this::closeDueWindows);
        context.schedule(
                EntryRetention.INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> entryRetention.apply(entries, now));
    }

    @Override
    public void process(Record<String, UsageEvent> record) {
        UsageEvent event = record.value();
        String problem = EventChecks.problem(event);
        if (problem != null) {
            reject(record, Rejections.INVALID, problem);
            return;
        }
        long now = context.currentSystemTimeMs();
        Bytes key = SeenEvents.key(
                event.getOrganizationId(), event.getLivemode(), event.getCustomerId(), event.getEventId());
        if (seenEvents.find(key) != null) {
            sensors.duplicates.record();
            return;
        }
        try {
            if (event.getRetracts() == null) {
                count(event, key, now);
            } else {
                retract(event, key, now);
            }
        } catch (Rejection rejection) {
            reject(record, rejection.code(), rejection.getMessage());
        }
    }

    private void count(UsageEvent event, Bytes key, long now) {
        Series series = Series.of(event);
        Window window = Window.containing(event.getOccurredAt().toEpochMilli(), windowMillis);
        if (isClosed(window, now)) {
            countLate(event, key, series, window, now);
            return;
        }
        Bytes openKey = OpenWindowKey.of(window.end(), series);
        byte[] stored = openWindows.get(openKey);
        WindowState state =
                stored == null ? new WindowState(meters.definitionOf(series)) : StateCodec.decodeState(stored);
        Contribution contribution = ValueReader.read(event, state.definition());
        // every check passed: now write
        state.add(contribution, entriesOf(series, window, state));
        liveUsage.add(series, state.definition(), contribution);
        openWindows.put(openKey, StateCodec.encode(state));
        seenEvents.remember(key, SeenEvent.counted(series, state.aggregation(), contribution), now);
    }

    private void countLate(UsageEvent event, Bytes key, Series series, Window window, long now) {
        requireWithinHorizon(window, now);
        StateCodec.Revised closed = closedWindows.find(series, window.start());
        // a window that never had usage is stated for the first time: revision 0, as a correction
        WindowState state = closed == null ? new WindowState(meters.definitionOf(series)) : closed.state();
        long revision = closed == null ? 0 : closed.revision() + 1;
        Contribution contribution = ValueReader.read(event, state.definition());
        WindowEntries.Window windowEntries = entriesOf(series, window, state);
        String appeared = state.add(contribution, windowEntries);
        liveUsage.add(series, state.definition(), contribution);
        closedWindows.put(series, window.start(), revision, state);
        seenEvents.remember(key, SeenEvent.counted(series, state.aggregation(), contribution), now);
        sensors.late.record();
        // a first statement lists all the window's values; a restatement what it adds
        List<String> added = revision == 0 ? state.distinctValues(windowEntries) : listOf(appeared);
        restate(series, window, state, revision, added, List.of(), now);
    }

    private void retract(UsageEvent event, Bytes key, long now) {
        // the target is looked up under the retraction's own customer: another customer's event is
        // another identity, unknown here
        Bytes targetKey = SeenEvents.key(
                event.getOrganizationId(), event.getLivemode(), event.getCustomerId(), event.getRetracts());
        SeenEvents.Found found = seenEvents.find(targetKey);
        if (found == null) {
            throw new Rejection(
                    Rejections.RETRACTION_TARGET_UNKNOWN,
                    "no event " + event.getRetracts() + " of this customer within the dedup horizon");
        }
        SeenEvent target = found.event();
        if (target.retraction()) {
            throw new Rejection(Rejections.RETRACTION_MISMATCH, event.getRetracts() + " is itself a retraction");
        }
        if (!target.feature().equals(event.getFeature())) {
            throw new Rejection(
                    Rejections.RETRACTION_MISMATCH, event.getRetracts() + " is an event of another feature");
        }
        if (target.retracted()) {
            sensors.duplicates.record();
            return;
        }
        Series series = Series.of(event);
        Window window = Window.containing(target.occurredAt(), windowMillis);
        Contribution contribution = target.contribution(event.getRetracts());
        if (isClosed(window, now)) {
            retractFromClosed(series, window, contribution, now);
        } else {
            retractFromOpen(series, window, contribution);
        }
        liveUsage.remove(series, target.aggregation(), contribution);
        seenEvents.rewrite(targetKey, found, target.asRetracted());
        seenEvents.remember(key, SeenEvent.RETRACTION, now);
        sensors.retractions.record();
    }

    private void retractFromOpen(Series series, Window window, Contribution contribution) {
        Bytes openKey = OpenWindowKey.of(window.end(), series);
        byte[] stored = openWindows.get(openKey);
        WindowState state = stored == null ? null : StateCodec.decodeState(stored);
        if (state == null
                || !state.remove(contribution, entriesOf(series, window, state)).held()) {
            throw new Rejection(Rejections.RETRACTION_TARGET_UNKNOWN, "the target's window does not hold it");
        }
        // an emptied window stays: it closes as a zero statement, exact whatever comes next
        openWindows.put(openKey, StateCodec.encode(state));
    }

    private void retractFromClosed(Series series, Window window, Contribution contribution, long now) {
        requireWithinHorizon(window, now);
        StateCodec.Revised closed = closedWindows.find(series, window.start());
        WindowState.Removal removal = closed == null
                ? WindowState.Removal.NOT_HELD
                : closed.state().remove(contribution, entriesOf(series, window, closed.state()));
        if (!removal.held()) {
            throw new Rejection(
                    Rejections.BEYOND_CORRECTION_HORIZON, "the target's window is no longer kept to restate");
        }
        long revision = closed.revision() + 1;
        closedWindows.put(series, window.start(), revision, closed.state());
        restate(series, window, closed.state(), revision, List.of(), listOf(removal.vanished()), now);
    }

    private WindowEntries.Window entriesOf(Series series, Window window, WindowState state) {
        return entries.of(WindowEntries.Scope.BILLING_WINDOW, window.start(), series, state.aggregation());
    }

    private static List<String> listOf(String value) {
        return value == null ? List.of() : List.of(value);
    }

    /**
     * Whether the window is closed. One that is due but still open (the punctuation has not run
     * yet) is closed first, so it is stated once as revision 0 before anything restates it.
     */
    private boolean isClosed(Window window, long now) {
        long through = closedAt(now);
        if (window.end() > through) {
            return false;
        }
        if (through > closedThrough) {
            closeDueWindows(now);
        }
        return true;
    }

    private void requireWithinHorizon(Window window, long now) {
        if (window.start() <= now - correctionHorizonMillis) {
            throw new Rejection(
                    Rejections.BEYOND_CORRECTION_HORIZON,
                    "the window starting " + Instant.ofEpochMilli(window.start())
                            + " is older than the correction horizon ("
                            + Duration.ofMillis(correctionHorizonMillis) + ")");
        }
    }

    private long closedAt(long now) {
        return Math.max(closedThrough, now - graceMillis);
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
            long end = OpenWindowKey.windowEnd(entry.key);
            Window window = new Window(end - windowMillis, end);
            WindowState state = StateCodec.decodeState(entry.value);
            String id = series.windowKey(window.start());
            List<String> values = state.distinctValues(entriesOf(series, window, state));
            for (UsageAggregate part :
                    Aggregates.of(series, window, state, AggregateKind.WINDOW, 0, values, List.of())) {
                context.forward(new Record<>(id, part, now), MeteringTopology.AGGREGATES_SINK);
            }
            closedWindows.put(series, window.start(), 0, state);
            openWindows.delete(entry.key);
            sensors.closedWindows.record();
        }
        if (through > closedThrough) {
            closedThrough = through;
            finality.put(MeteringTopology.FINALITY_KEY, through);
            publishFinality(now);
        }
    }

    /**
     * Tells billing the new watermark. Forwarded after the windows it closes, so it commits in the
     * same transaction as their statements: a reader that sees it committed can bound them.
     */
    private void publishFinality(long now) {
        // one task per usage-events partition: the task's partition is the topic's
        int partition = context.taskId().partition();
        UsageFinality watermark = UsageFinality.newBuilder()
                .setPartition(partition)
                .setClosedThrough(Instant.ofEpochMilli(closedThrough))
                .setProducedAt(Instant.ofEpochMilli(now))
                .build();
        context.forward(new Record<>(Keys.finality(partition), watermark, now), MeteringTopology.FINALITY_SINK);
    }

    private void restate(
            Series series,
            Window window,
            WindowState state,
            long revision,
            List<String> added,
            List<String> removed,
            long now) {
        sensors.restatements.record();
        for (UsageAggregate part :
                Aggregates.of(series, window, state, AggregateKind.CORRECTION, revision, added, removed)) {
            context.forward(new Record<>(series.customerKey(), part, now), MeteringTopology.CORRECTIONS_SINK);
        }
    }

    /** Sends the record to usage-rejected and remembers it for its client, in one transaction. */
    private void reject(Record<String, UsageEvent> record, String code, String problem) {
        sensors.recordRejection(code);
        RecordMetadata source = context.recordMetadata().orElseThrow();
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        long now = context.currentSystemTimeMs();
        rejectedEvents.remember(record.value(), code, problem, now);
        RejectedRecord rejected =
                Rejections.of(source.topic(), source.partition(), source.offset(), code, problem, key, null, now);
        context.forward(new Record<>(record.key(), rejected, now), MeteringTopology.REJECTED_SINK);
    }
}
