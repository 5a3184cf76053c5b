package dev.tally.billing.finality;

import dev.tally.platform.kafka.KafkaClientProperties;
import dev.tally.schemas.topic.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many partitions usage-events has, from the topic's metadata: the number of watermarks
 * finality is the minimum of. Read when first needed and again whenever a watermark names a
 * partition past it (partitions were added); unknown while the broker cannot be asked.
 */
@Singleton
public final class UsageEventPartitions {

    private static final Logger LOG = LoggerFactory.getLogger(UsageEventPartitions.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final String topic;
    private volatile int count = -1;

    public UsageEventPartitions(KafkaClientProperties clients, Topics topics) {
        this.admin = Admin.create(clients.admin());
        this.topic = topics.usageEvents().name();
    }

    /** The partition count, read from the broker if it is not known yet; empty if it cannot be. */
    public OptionalInt count() {
        int known = count;
        if (known < 0) {
            refresh();
            known = count;
        }
        return known < 0 ? OptionalInt.empty() : OptionalInt.of(known);
    }

    /** Reads the partition count again (it only grows: Kafka never removes partitions). */
    public void refresh() {
        try {
            int partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions()
                    .size();
            count = Math.max(count, partitions);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("cannot read the partitions of {}: usage finality stays unknown ({})", topic, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void close() {
        admin.close(TIMEOUT);
    }
}
