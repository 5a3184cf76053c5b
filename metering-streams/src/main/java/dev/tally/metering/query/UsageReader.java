package dev.tally.metering.query;

import dev.tally.metering.MeteringSettings;
import dev.tally.metering.MeteringStreams;
import dev.tally.metering.topology.LiveUsageStores;
import dev.tally.metering.topology.MeteringTopology;
import dev.tally.metering.topology.UsageCell;
import dev.tally.schemas.topic.Keys;
import dev.tally.schemas.topic.Topics;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers usage queries from this instance's stores, or says which instance owns the customer: all
 * of a customer's usage lives in the partition of its usage-events key, so one instance has it all.
 *
 * <p>With {@code tally.metering.advertised-endpoint} set, Streams' metadata names the owner. Without
 * it (one instance: Streams then publishes no metadata) every partition is here, and the key's
 * partition is computed as the default partitioner does.
 */
@Singleton
@Requires(beans = MeteringStreams.class)
public final class UsageReader {

    private final MeteringStreams streams;
    private final HostInfo self;
    private final String sourceTopic;

    public UsageReader(MeteringStreams streams, MeteringSettings settings, Topics topics) {
        this.streams = streams;
        this.sourceTopic = topics.usageEvents().name();
        this.self = settings.advertisedEndpoint().isEmpty()
                ? null
                : HostInfo.buildFromEndpoint(settings.advertisedEndpoint());
    }

    /** Where the customer's usage is: empty when here, else the instance to ask. */
    public Optional<HostInfo> owner(Caller caller, String customerId) {
        if (self == null) {
            return Optional.empty();
        }
        KeyQueryMetadata metadata = metadata(caller, customerId);
        if (metadata.activeHost().equals(self)) {
            return Optional.empty();
        }
        return Optional.of(metadata.activeHost());
    }

    /** The report, read from this instance's stores. */
    public UsageReport read(Caller caller, UsageQuery query) {
        int partition = partition(caller, query.customerId());
        KafkaStreams kafkaStreams = streams.streams();
        try {
            LiveUsageStores.Source store = source(kafkaStreams, query, partition);
            ReadOnlyKeyValueStore<String, Long> finality = kafkaStreams.store(StoreQueryParameters.fromNameAndType(
                            MeteringTopology.FINALITY_STORE, QueryableStoreTypes.<String, Long>keyValueStore())
                    .withPartition(partition));
            Long finalThrough = finality.get(MeteringTopology.FINALITY_KEY);
            List<UsageCell> cells = LiveUsageStores.read(
                    store,
                    caller.organizationId(),
                    caller.livemode(),
                    query.customerId(),
                    query.feature(),
                    query.from().toEpochMilli(),
                    query.to().toEpochMilli());
            return report(caller, query, finalThrough, cells);
        } catch (InvalidStateStoreException e) {
            // rebalancing or restoring: the partition is moving, a retry finds it
            throw new MeteringException(MeteringErrorCode.USAGE_UNAVAILABLE, "usage is being rebalanced; retry");
        }
    }

    /**
     * Every customer of the caller's organization held by this instance's active partitions; the
     * watermark is the lowest of those partitions' (null while one of them has closed nothing).
     */
    public UsageReport readLocalOrganization(Caller caller, UsageQuery query) {
        KafkaStreams kafkaStreams = streams.streams();
        try {
            LiveUsageStores.Source store = source(kafkaStreams, query, null);
            List<UsageCell> cells = LiveUsageStores.readOrganization(
                    store,
                    caller.organizationId(),
                    caller.livemode(),
                    query.feature(),
                    query.from().toEpochMilli(),
                    query.to().toEpochMilli());
            Long finalThrough = null;
            boolean first = true;
            for (int partition : localPartitions()) {
                Long watermark = kafkaStreams
                        .store(StoreQueryParameters.fromNameAndType(
                                        MeteringTopology.FINALITY_STORE,
                                        QueryableStoreTypes.<String, Long>keyValueStore())
                                .withPartition(partition))
                        .get(MeteringTopology.FINALITY_KEY);
                finalThrough = first ? watermark : UsageReports.lower(finalThrough, watermark);
                first = false;
            }
            return report(caller, query, finalThrough, cells);
        } catch (InvalidStateStoreException e) {
            throw new MeteringException(MeteringErrorCode.USAGE_UNAVAILABLE, "usage is being rebalanced; retry");
        }
    }

    /** The other instances of the application, when there are several (else none). */
    public List<HostInfo> otherInstances() {
        if (self == null) {
            return List.of();
        }
        return streams.streams().metadataForAllStreamsClients().stream()
                .map(StreamsMetadata::hostInfo)
                .filter(host -> !host.equals(self))
                .distinct()
                .toList();
    }

    private UsageReport report(Caller caller, UsageQuery query, Long finalThrough, List<UsageCell> cells) {
        return new UsageReport(
                caller.organizationId(),
                caller.livemode(),
                query.customerId(),
                query.granularity().name().toLowerCase(),
                query.zone().getId(),
                query.from(),
                query.to(),
                finalThrough == null ? null : Instant.ofEpochMilli(finalThrough),
                UsageRollup.rows(cells, query.granularity(), query.zone(), finalThrough));
    }

    /** The stores a query reads: of one partition, or of all this instance's when {@code partition} is null. */
    private static LiveUsageStores.Source source(KafkaStreams kafkaStreams, UsageQuery query, Integer partition) {
        boolean minutes = query.granularity().fromMinutes();
        var windows = StoreQueryParameters.fromNameAndType(
                minutes ? MeteringTopology.USAGE_BY_MINUTE_STORE : MeteringTopology.USAGE_BY_HOUR_STORE,
                QueryableStoreTypes.<String, byte[]>windowStore());
        var entries = StoreQueryParameters.fromNameAndType(
                MeteringTopology.WINDOW_ENTRIES_STORE, QueryableStoreTypes.<Bytes, byte[]>keyValueStore());
        if (partition != null) {
            windows = windows.withPartition(partition);
            entries = entries.withPartition(partition);
        }
        boolean rolledUp = query.granularity() == Granularity.DAY || query.granularity() == Granularity.MONTH;
        return new LiveUsageStores.Source(kafkaStreams.store(windows), kafkaStreams.store(entries), !minutes, rolledUp);
    }

    private List<Integer> localPartitions() {
        return streams.streams().metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(topicPartition -> topicPartition.topic().equals(sourceTopic))
                .map(TopicPartition::partition)
                .toList();
    }

    private int partition(Caller caller, String customerId) {
        if (self != null) {
            return metadata(caller, customerId).partition();
        }
        int partitions = localPartitions().size();
        if (partitions == 0) {
            throw new MeteringException(MeteringErrorCode.USAGE_UNAVAILABLE, "usage is not available yet; retry");
        }
        byte[] key = Keys.customer(caller.organizationId(), customerId).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    private KeyQueryMetadata metadata(Caller caller, String customerId) {
        KeyQueryMetadata metadata = streams.streams()
                .queryMetadataForKey(
                        MeteringTopology.USAGE_BY_HOUR_STORE,
                        Keys.customer(caller.organizationId(), customerId),
                        Serdes.String().serializer());
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            throw new MeteringException(MeteringErrorCode.USAGE_UNAVAILABLE, "usage is not available yet; retry");
        }
        return metadata;
    }
}
