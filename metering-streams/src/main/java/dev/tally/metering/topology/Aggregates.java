package dev.tally.metering.topology;

import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.UsageAggregate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the statements of usage-aggregates and usage-corrections: a window's quantity and count,
 * whole, at a revision, with (UNIQUE_COUNT) the distinct values that revision adds and removes.
 * Values beyond {@link #PART_BYTES} go in further records of the same statement, its parts, so a
 * window of any size is stated in records of bounded size.
 */
final class Aggregates {

    /**
     * The most value bytes one record carries (each value's UTF-8 bytes plus two for its framing):
     * well below the producer's default {@code max.request.size} of 1 MiB.
     */
    static final int PART_BYTES = 256 * 1024;

    private Aggregates() {}

    /**
     * The statement of a window at a revision, as one record or several (parts). Aggregate id:
     * {@code Keys.window(...)} for revision 0, {@code Keys.window(...) + "#" + revision} after; part
     * k > 0 appends {@code "/" + k}.
     */
    static List<UsageAggregate> of(
            Series series,
            Window window,
            WindowState state,
            AggregateKind kind,
            long revision,
            List<String> added,
            List<String> removed) {
        List<List<String>> addedParts = split(added);
        List<List<String>> removedParts = split(removed);
        int parts = Math.max(1, addedParts.size() + removedParts.size());
        String windowKey = series.windowKey(window.start());
        String statementId = revision == 0 ? windowKey : windowKey + "#" + revision;
        Long latestAt = state.latestAt();
        List<UsageAggregate> records = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            // added values fill the first parts, removed ones the rest
            List<String> partAdded = part < addedParts.size() ? addedParts.get(part) : List.of();
            int removedIndex = part - addedParts.size();
            List<String> partRemoved = removedIndex >= 0 && removedIndex < removedParts.size()
                    ? removedParts.get(removedIndex)
                    : List.of();
            records.add(UsageAggregate.newBuilder()
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
                    .setAggregateId(part == 0 ? statementId : statementId + "/" + part)
                    .setAggregation(state.aggregation())
                    .setRevision(revision)
                    .setLatestAt(latestAt == null ? null : Instant.ofEpochMilli(latestAt))
                    .setValuesAdded(partAdded)
                    .setValuesRemoved(partRemoved)
                    .setPart(part)
                    .setParts(parts)
                    .build());
        }
        return records;
    }

    private static List<List<String>> split(List<String> values) {
        List<List<String>> parts = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long bytes = 0;
        for (String value : values) {
            int size = value.getBytes(StandardCharsets.UTF_8).length + 2;
            if (!current.isEmpty() && bytes + size > PART_BYTES) {
                parts.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(value);
            bytes += size;
        }
        if (!current.isEmpty()) {
            parts.add(current);
        }
        return parts;
    }
}
