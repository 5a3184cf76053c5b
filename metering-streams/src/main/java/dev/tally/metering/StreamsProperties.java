package dev.tally.metering;

import dev.tally.metering.topology.DeadLetterHandler;
import dev.tally.platform.kafka.KafkaSettings;
import dev.tally.schemas.topic.Topics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration of the metering application. */
public final class StreamsProperties {

    private StreamsProperties() {}

    /**
     * Exactly-once v2 Streams properties for {@code settings} on the cluster of {@code kafka}; dead
     * letters go to {@code topics.usageRejected()}.
     */
    public static Properties of(MeteringSettings settings, KafkaSettings kafka, Topics topics) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.numStreamThreads());
        props.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                settings.commitInterval().toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDirectory().toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.REJECTED_TOPIC_CONFIG, topics.usageRejected());
        props.put(DeadLetterHandler.SOURCE_TOPIC_CONFIG, topics.usageEvents().name());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        props.put(BoundedRocksDb.MEMORY_CONFIG, settings.rocksdbMemoryBytes());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, settings.cacheMaxBytes());
        if (!settings.advertisedEndpoint().isEmpty()) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, settings.advertisedEndpoint());
        }
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.numStandbyReplicas());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int)
                settings.sessionTimeout().toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), (int)
                Math.max(1, settings.sessionTimeout().toMillis() / 3));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        return props;
    }
}
