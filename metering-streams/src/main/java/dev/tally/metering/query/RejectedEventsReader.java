package dev.tally.metering.query;

import dev.tally.metering.MeteringStreams;
import dev.tally.metering.topology.MeteringTopology;
import dev.tally.metering.topology.RejectedEventsStore;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Reads rejected events from the stores of this instance's active partitions. A customer's
 * rejections live in its usage-events partition, but an organization's are spread over all of
 * them, so the controller asks every instance and merges.
 */
@Singleton
@Requires(beans = MeteringStreams.class)
public final class RejectedEventsReader {

    private final MeteringStreams streams;

    public RejectedEventsReader(MeteringStreams streams) {
        this.streams = streams;
    }

    /** The caller's rejected events held here: one page, the earliest first. */
    public RejectedEventsPage readLocal(Caller caller, RejectedEventsQuery query) {
        try {
            ReadOnlyWindowStore<String, byte[]> store = streams.streams()
                    .store(StoreQueryParameters.fromNameAndType(
                            MeteringTopology.REJECTED_EVENTS_STORE, QueryableStoreTypes.<String, byte[]>windowStore()));
            return RejectedEventsPage.of(RejectedEventsStore.read(
                    store,
                    caller.organizationId(),
                    caller.livemode(),
                    query.customerId(),
                    query.from().toEpochMilli(),
                    query.to().toEpochMilli(),
                    query.limit()));
        } catch (InvalidStateStoreException e) {
            // rebalancing or restoring: the partitions are moving, a retry finds them
            throw new MeteringException(
                    MeteringErrorCode.USAGE_UNAVAILABLE, "rejected events are being rebalanced; retry");
        }
    }
}
