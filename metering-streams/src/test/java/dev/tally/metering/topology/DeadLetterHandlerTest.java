package dev.tally.metering.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.avro.RejectedRecord;
import dev.tally.schemas.topic.Topics;
import dev.tally.testkit.SchemaRegistryServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.junit.jupiter.api.Test;

/**
 * The handler itself: the test driver runs global topics with its own handler, so the global
 * case is proven here.
 */
class DeadLetterHandlerTest {

    private final Topics topics =
            Topics.create("dlh.", SchemaRegistryServer.shared().client());
    private final DeadLetterHandler handler = configured();

    @Test
    void shouldTurnAnUnreadableUsageEventIntoADeadLetter() {
        DeserializationExceptionHandler.Response response =
                handler.handleError(null, record(topics.usageEvents().name()), new SerializationException("bad bytes"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(letter -> {
            assertThat(letter.topic()).isEqualTo(topics.usageRejected().name());
            RejectedRecord rejected =
                    topics.usageRejected().valueSerde().deserializer().deserialize(letter.topic(), letter.value());
            assertThat(rejected.getReason()).isEqualTo("undeserializable: bad bytes");
            assertThat(rejected.getOffset()).isEqualTo(42);
            assertThat(rejected.getPartition()).isEqualTo(3);
        });
    }

    @Test
    void shouldSkipAnUnreadableRecordOfAGlobalTopicWithoutADeadLetter() {
        // the global thread cannot write dead letters: returning one would kill it
        DeserializationExceptionHandler.Response response =
                handler.handleError(null, record(topics.apiKeys().name()), new SerializationException("bad bytes"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    private DeadLetterHandler configured() {
        DeadLetterHandler configured = new DeadLetterHandler();
        configured.configure(Map.of(
                DeadLetterHandler.REJECTED_TOPIC_CONFIG, topics.usageRejected(),
                DeadLetterHandler.SOURCE_TOPIC_CONFIG, topics.usageEvents().name()));
        return configured;
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic) {
        return new ConsumerRecord<>(
                topic, 3, 42, "k".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
    }
}
