package dev.tally.metering.topology;

import dev.tally.schemas.avro.RejectedRecord;
import dev.tally.schemas.topic.Topic;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be deserialized to usage-rejected, with their topic, partition, offset,
 * raw bytes and the reason, and lets the stream go on. Streams writes the dead letter in the same
 * transaction as the task's other output, so it is neither lost nor duplicated.
 *
 * <p>Only records of {@link #SOURCE_TOPIC_CONFIG} become dead letters: a record of a global
 * topic (api-keys) is read by the global thread, which cannot write them; it is logged and skipped
 * (the key it would have set stays as it was).
 *
 * <p>Configured by Streams from its properties: {@link #REJECTED_TOPIC_CONFIG} must hold the
 * usage-rejected {@link Topic} object, {@link #SOURCE_TOPIC_CONFIG} the usage-events topic name.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

    /** Property holding the {@code Topic<String, RejectedRecord>} dead letters are written to. */
    public static final String REJECTED_TOPIC_CONFIG = "tally.metering.rejected-topic";

    /** Property holding the name of the topic whose unreadable records become dead letters. */
    public static final String SOURCE_TOPIC_CONFIG = "tally.metering.dead-letter-source";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private Topic<String, RejectedRecord> rejected;
    private String source;

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(REJECTED_TOPIC_CONFIG);
        if (!(topic instanceof Topic<?, ?>)) {
            throw new IllegalStateException(
                    REJECTED_TOPIC_CONFIG + " must hold the usage-rejected Topic, was " + topic);
        }
        this.rejected = (Topic<String, RejectedRecord>) topic;
        this.source = String.valueOf(configs.get(SOURCE_TOPIC_CONFIG));
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!source.equals(record.topic())) {
            LOG.error(
                    "undeserializable record {}-{}@{} skipped: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    exception.getMessage());
            return Response.resume();
        }
        LOG.warn(
                "undeserializable record {}-{}@{} sent to {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                rejected.name(),
                exception.getMessage());
        RejectedRecord letter = Rejections.of(
                record.topic(),
                record.partition(),
                record.offset(),
                Rejections.UNDESERIALIZABLE,
                String.valueOf(exception.getMessage()),
                record.key(),
                record.value(),
                System.currentTimeMillis());
        byte[] value = rejected.valueSerde().serializer().serialize(rejected.name(), letter);
        return Response.resume(List.of(new ProducerRecord<>(rejected.name(), null, record.key(), value)));
    }
}
