package dev.tally.metering.topology;

import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.UsageAggregate;
import java.time.Instant;

/** Builds the whole-window statements of usage-aggregates and usage-corrections. */
final class Aggregates {

    private Aggregates() {}

    /**
     * The statement of a window at a revision: aggregate id {@code Keys.window(...)} for revision 0,
     * {@code Keys.window(...) + "#" + revision} after.
     */
    static UsageAggregate of(Series series, Window window, WindowState state, AggregateKind kind, long revision) {
        String windowKey = series.windowKey(window.start());
        Long latestAt = state.latestAt();
        return UsageAggregate.newBuilder()
                .setOrganizationId(series.organizationId())
                .setCustomerId(series.customerId())
                .setFeature(series.feature())
                .setLivemode(series.livemode())
                .setWindowStart(Instant.ofEpochMilli(window.start()))
                .setWindowEnd(Instant.ofEpochMilli(window.end()))
                .setQuantity(state.quantity())
                .setEventCount(state.eventCount())
                .setClosed(true)
                .setKind(kind)
                .setAggregateId(revision == 0 ? windowKey : windowKey + "#" + revision)
                .setAggregation(state.aggregation())
                .setRevision(revision)
                .setLatestAt(latestAt == null ? null : Instant.ofEpochMilli(latestAt))
                .setDistinctValues(state.distinctValues())
                .build();
    }
}
