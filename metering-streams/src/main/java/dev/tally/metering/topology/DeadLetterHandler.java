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
 * <p>Configured by Streams from its properties: {@link #REJECTED_TOPIC_CONFIG} must hold the
 * usage-rejected {@link Topic} object.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

    /** Property holding the {@code Topic<String, RejectedRecord>} dead letters are written to. */
    public static final String REJECTED_TOPIC_CONFIG = "tally.metering.rejected-topic";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private Topic<String, RejectedRecord> rejected;

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(REJECTED_TOPIC_CONFIG);
        if (!(topic instanceof Topic<?, ?>)) {
            throw new IllegalStateException(REJECTED_TOPIC_CONFIG + " must hold the usage-rejected Topic, was " + topic);
        }
        this.rejected = (Topic<String, RejectedRecord>) topic;
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        LOG.warn("undeserializable record {}-{}@{} sent to {}: {}",
                record.topic(), record.partition(), record.offset(), rejected.name(), exception.getMessage());
        RejectedRecord letter = Rejections.of(record.topic(), record.partition(), record.offset(),
                Rejections.UNDESERIALIZABLE, String.valueOf(exception.getMessage()), record.key(), record.value(),
                System.currentTimeMillis());
        byte[] value = rejected.valueSerde().serializer().serialize(rejected.name(), letter);
        return Response.resume(List.of(new ProducerRecord<>(rejected.name(), null, record.key(), value)));
    }
}
