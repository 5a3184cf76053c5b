package dev.tally.billing.finality;

import dev.tally.platform.offsets.BatchHandler;
import dev.tally.schemas.avro.UsageFinality;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jdbi.v3.core.Handle;

/**
 * Records each batch of usage-finality with the ledger offsets that bound its aggregates. Every
 * watermark of the batch was committed before the batch was polled, and so were the aggregates
 * committed with or before it: the bounds taken after the poll cover them all. Of several
 * watermarks of one partition in a batch only the newest is kept, as the older ones need the
 * same offsets and say less.
 */
final class FinalityRecorder implements BatchHandler<String, UsageFinality> {

    private final LedgerBounds bounds;
    private final UsageEventPartitions partitions;
    private final String ledgerGroup;
    private final String aggregatesTopic;

    FinalityRecorder(LedgerBounds bounds, UsageEventPartitions partitions, String ledgerGroup, String aggregatesTopic) {
        this.bounds = bounds;
        this.partitions = partitions;
        this.ledgerGroup = ledgerGroup;
        this.aggregatesTopic = aggregatesTopic;
    }

    @Override
    public void handle(Handle handle, ConsumerRecords<String, UsageFinality> batch) {
        Map<Integer, UsageFinality> newest = new HashMap<>();
        for (ConsumerRecord<String, UsageFinality> record : batch) {
            UsageFinality watermark = record.value();
            // a tombstone (someone compacting a partition's key away) carries no watermark
            if (watermark != null) {
                newest.merge(watermark.getPartition(), watermark, FinalityRecorder::later);
            }
        }
        if (newest.isEmpty()) {
            return;
        }
        List<Long> required = bounds.current();
        FinalityDao dao = handle.attach(FinalityDao.class);
        for (UsageFinality watermark : newest.values()) {
            dao.record(watermark.getPartition(), watermark.getClosedThrough(), watermark.getProducedAt(), required);
            dao.prune(watermark.getPartition(), ledgerGroup, aggregatesTopic);
        }
        int highest = newest.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (partitions.count().orElse(0) <= highest) {
            // a partition past the known count: usage-events has grown
            partitions.refresh();
        }
    }

    private static UsageFinality later(UsageFinality a, UsageFinality b) {
        return a.getClosedThrough().isAfter(b.getClosedThrough()) ? a : b;
    }
}
