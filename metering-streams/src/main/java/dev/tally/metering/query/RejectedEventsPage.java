package dev.tally.metering.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.metering.topology.RejectedEvent;
import dev.tally.metering.topology.RejectedEventsStore;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The answer to {@code GET /v1/events/rejected}: events accepted and then not counted, oldest
 * first, and whether more matched than the page holds (ask again from the last {@code
 * rejected_at}).
 */
@Serdeable
public record RejectedEventsPage(
        // an empty page is still a page: "data": [] rather than no field
        @JsonInclude(JsonInclude.Include.ALWAYS) List<Row> data, @JsonProperty("has_more") boolean hasMore) {

    private static final Comparator<Row> ORDER = Comparator.comparing(Row::rejectedAt)
            .thenComparing(Row::eventId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Row::customer, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Row::reason);

    /**
     * One rejected event: its id, customer and feature (null when the event lacked them), the
     * reason code (see metering-streams' README), the details and when it was rejected.
     */
    @Serdeable
    public record Row(
            @JsonProperty("event_id") String eventId,
            String customer,
            String feature,
            String reason,
            String message,
            @JsonProperty("rejected_at") Instant rejectedAt) {

        static Row of(RejectedEvent event) {
            return new Row(
                    event.eventId(),
                    event.customerId(),
                    event.feature(),
                    event.reason(),
                    event.message(),
                    Instant.ofEpochMilli(event.rejectedAt()));
        }
    }

    static RejectedEventsPage of(RejectedEventsStore.Page page) {
        return new RejectedEventsPage(page.events().stream().map(Row::of).toList(), page.hasMore());
    }

    /** The pages of several instances as one: the earliest {@code limit} rows of them all. */
    static RejectedEventsPage merge(RejectedEventsPage local, List<RejectedEventsPage> remote, int limit) {
        List<Row> rows = new ArrayList<>(local.data());
        boolean hasMore = local.hasMore();
        for (RejectedEventsPage part : remote) {
            rows.addAll(part.data());
            hasMore |= part.hasMore();
        }
        rows.sort(ORDER);
        if (rows.size() > limit) {
            return new RejectedEventsPage(List.copyOf(rows.subList(0, limit)), true);
        }
        return new RejectedEventsPage(rows, hasMore);
    }
}
