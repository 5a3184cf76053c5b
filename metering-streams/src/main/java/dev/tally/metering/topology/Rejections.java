package dev.tally.metering.topology;

import dev.tally.schemas.avro.RejectedRecord;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the dead letters of usage-rejected, each with where it came from and why. */
final class Rejections {

    /** Reason code of records whose bytes could not be read as a usage event. */
    static final String UNDESERIALIZABLE = "undeserializable";

    /** Reason code of records that were read but cannot be metered. */
    static final String INVALID = "invalid";

    private Rejections() {}

    static RejectedRecord of(
            String topic,
            int partition,
            long offset,
            String code,
            String detail,
            byte[] key,
            byte[] value,
            long nowMillis) {
        return RejectedRecord.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setReason(code + ": " + detail)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setRejectedAt(Instant.ofEpochMilli(nowMillis))
                .build();
    }
}
