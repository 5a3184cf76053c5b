package dev.tally.billing.finality;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The ledger progress that covers every usage-aggregates record committed so far: per partition, 1
 * + the offset of its last committed record (0 when it has none), which is the next offset the
 * ledger consumer stores once it has applied that record.
 *
 * <p>Why not the partitions' end offsets: the ledger stores its last record's offset + 1, and a
 * transactional partition ends with a commit marker, so the ledger would never reach an end offset
 * until more usage arrived. And why the high watermark rather than the last stable offset as the
 * point to look back from: markers land on each partition of a transaction separately, so just
 * after a watermark's record became readable the last stable offset of an aggregates partition may
 * still be below the aggregates committed with it; the high watermark is past them (they were
 * acknowledged with {@code acks=all} before the commit). Reading up to it read_committed waits for
 * the transactions below it to be decided, then the last record returned is the bound.
 *
 * <p>Used from one thread (the finality consumer's); remembers how far each partition was read, so
 * each call reads only what arrived since.
 */
final class LedgerBounds implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final long FIRST_LOOK_BACK = 16;

    private final Admin admin;
    private final Consumer<byte[], byte[]> reader;
    private final String topic;
    private final Duration timeout;
    private final Map<Integer, Scanned> scanned = new HashMap<>();

    /** Every committed record below {@code through} is below {@code bound}. */
    private record Scanned(long through, long bound) {}

    /**
     * Bounds of {@code topic} through {@code admin} and {@code reader}, a read_committed consumer of
     * its own (assigned, never subscribed; {@code auto.offset.reset=earliest}); waits at most
     * {@code timeout} for open transactions.
     */
    LedgerBounds(Admin admin, Consumer<byte[], byte[]> reader, String topic, Duration timeout) {
        this.admin = admin;
        this.reader = reader;
        this.topic = topic;
        this.timeout = timeout;
    }

    /**
     * The next offset the ledger must have stored on each partition (index = partition) to hold every
     * record committed on the topic before this call.
     *
     * @throws KafkaException if the broker cannot tell in time; nothing may be recorded then
     */
    List<Long> current() {
        Map<TopicPartition, Long> highWatermarks = highWatermarks();
        List<Long> bounds = new ArrayList<>();
        for (int partition = 0; partition < highWatermarks.size(); partition++) {
            TopicPartition tp = new TopicPartition(topic, partition);
            bounds.add(bound(tp, highWatermarks.get(tp)));
        }
        return bounds;
    }

    private long bound(TopicPartition partition, long highWatermark) {
        Scanned known = scanned.get(partition.partition());
        if (known != null && known.through() >= highWatermark) {
            return known.bound();
        }
        long bound;
        if (known == null) {
            bound = lookBack(partition, highWatermark);
        } else {
            long last = lastRecordBetween(partition, known.through(), highWatermark);
            bound = last < 0 ? known.bound() : last + 1;
        }
        scanned.put(partition.partition(), new Scanned(highWatermark, bound));
        return bound;
    }

    /** The first bound of a partition: reads ever longer stretches before its high watermark. */
    private long lookBack(TopicPartition partition, long highWatermark) {
        long logStart = reader.beginningOffsets(List.of(partition), timeout).get(partition);
        for (long span = FIRST_LOOK_BACK; ; span *= 8) {
            long from = Math.max(logStart, highWatermark - span);
            long last = lastRecordBetween(partition, from, highWatermark);
            if (last >= 0) {
                return last + 1;
            }
            if (from == logStart) {
                return 0;
            }
        }
    }

    /** The offset of the last committed record in [from, to), or -1 when there is none. */
    private long lastRecordBetween(TopicPartition partition, long from, long to) {
        if (from >= to) {
            return -1;
        }
        reader.assign(List.of(partition));
        reader.seek(partition, from);
        Instant deadline = Instant.now().plus(timeout);
        long last = -1;
        while (reader.position(partition, timeout) < to) {
            if (Instant.now().isAfter(deadline)) {
                throw new KafkaException(partition + ": transactions below offset " + to + " still open after "
                        + timeout + ", cannot bound its committed records yet");
            }
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL).records(partition)) {
                if (record.offset() < to) {
                    last = record.offset();
                }
            }
        }
        return last;
    }

    private Map<TopicPartition, Long> highWatermarks() {
        try {
            int partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < partitions; partition++) {
                latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> offsets.put(tp, info.offset()));
            return offsets;
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot read the high watermarks of " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while reading the high watermarks of " + topic, e);
        }
    }

    @Override
    public void close() {
        reader.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
